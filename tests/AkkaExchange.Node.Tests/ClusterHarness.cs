using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>Real node processes in cluster mode on one real PostgreSQL schema, and the admin calls the tests use.</summary>
internal sealed class ClusterHarness(IReadOnlyDictionary<string, string>? settings = null) : IAsyncDisposable
{
    public const string Symbols = "AAPL,MSFT,TSLA,NVDA,AMZN,GOOG,INTC,CSCO";
    public const int Shards = 16;
    public const string Token = "test-admin-token-0123456789";
    private readonly string _dir = RepositoryPaths.TempDirectory("cluster");
    private readonly string _schema = TestPostgres.NewSchema();
    private string _connection = "";

    public Dictionary<string, NodeProcess> Nodes { get; } = new();
    public string Schema => _schema;

    public async Task<NodeProcess> StartAsync(string nodeId)
    {
        if (_connection == "") _connection = await TestPostgres.ConnectionStringAsync();
        var node = await NodeProcess.StartAsync(_dir, ["--cluster", "true", "--journal", "postgres", "--postgres-schema", _schema,
                "--node-id", nodeId, "--symbols", Symbols, "--shards", Shards.ToString(), "--data-dir", nodeId],
            environment: new Dictionary<string, string>
            {
                ["Exchange__ConnectionString"] = _connection,
                ["Exchange__AdminToken"] = Token,
                ["Exchange__ClusterSecret"] = "test-cluster-secret-0123456789",
            }.Concat(settings ?? new Dictionary<string, string>()).ToDictionary());
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Nodes[nodeId] = node;
        return node;
    }

    /// <summary>The shard table as one node sees it: shard → (owner or null, served here).</summary>
    public static async Task<IReadOnlyList<(int Shard, string? Owner, bool Expired, bool ServingHere, string[] Symbols)>> ShardsAsync(NodeProcess node)
    {
        using var doc = JsonDocument.Parse(await node.Http.GetStringAsync("/admin/v1/shards"));
        return doc.RootElement.GetProperty("shards").EnumerateArray().Select(s => (
            s.GetProperty("shard").GetInt32(),
            s.GetProperty("owner").ValueKind == JsonValueKind.Null ? null : s.GetProperty("owner").GetString(),
            s.GetProperty("expired").GetBoolean(),
            s.GetProperty("servingHere").GetBoolean(),
            s.GetProperty("symbols").EnumerateArray().Select(x => x.GetString()!).ToArray())).ToArray();
    }

    /// <summary>Waits until every shard is owned by one of <paramref name="owners"/> and served by it; returns how long it took.</summary>
    public async Task<TimeSpan> WaitOwnedByAsync(IReadOnlyCollection<string> owners, TimeSpan timeout, Func<int, bool>? balanced = null)
    {
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < timeout)
        {
            var served = new Dictionary<int, string>();
            foreach (var id in owners)
                foreach (var s in await ShardsAsync(Nodes[id]))
                    if (s.ServingHere && s.Owner == id && !s.Expired) served[s.Shard] = id;
            if (served.Count == Shards && (balanced is null || owners.All(o => balanced(served.Values.Count(v => v == o)))))
                return DateTime.UtcNow - started;
            await Task.Delay(50);
        }
        throw new TimeoutException($"shards not all served by {string.Join(',', owners)} within {timeout}");
    }

    /// <summary>The node serving a symbol now.</summary>
    public async Task<NodeProcess> OwnerOfAsync(string symbol)
    {
        foreach (var (id, node) in Nodes.Where(n => !n.Value.HasExited))
            if ((await ShardsAsync(node)).Any(s => s.ServingHere && s.Owner == id && s.Symbols.Contains(symbol))) return node;
        throw new InvalidOperationException($"nobody serves {symbol}");
    }

    public static async Task<(long OrderId, long Filled)> PlaceAsync(NodeProcess node, string symbol, string account, string id, string side, string price, int quantity)
    {
        var body = $$"""{"account":"{{account}}","clientOrderId":"{{id}}","symbol":"{{symbol}}","side":"{{side}}","price":"{{price}}","quantity":{{quantity}}}""";
        using var response = await node.Http.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return (doc.RootElement.GetProperty("orderId").GetInt64(), doc.RootElement.GetProperty("filledQuantity").GetInt64());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Values) await node.DisposeAsync();
    }
}
