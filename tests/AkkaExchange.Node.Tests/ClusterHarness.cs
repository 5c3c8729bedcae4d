using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>Real node processes in cluster mode on one real PostgreSQL schema, and the admin calls the tests use.</summary>
/// <param name="settings">environment for every node (settings as <c>Exchange__Name</c>)</param>
/// <param name="seedContacts">false when the settings name another discovery than the seed contacts</param>
internal sealed class ClusterHarness(IReadOnlyDictionary<string, string>? settings = null, bool seedContacts = true) : IAsyncDisposable
{
    public const string Symbols = "AAPL,MSFT,TSLA,NVDA,AMZN,GOOG,INTC,CSCO";
    public const int Shards = 16;
    public const string Token = "test-admin-token-0123456789";
    private readonly string _dir = RepositoryPaths.TempDirectory("cluster");
    private readonly string _schema = TestPostgres.NewSchema();
    private string _connection = "";
    private ClusterIdentity? _identity;

    public Dictionary<string, NodeProcess> Nodes { get; } = new();
    public string Schema => _schema;

    /// <summary>The HTTP port a node has (or will have) in this cluster.</summary>
    public int PortOf(string nodeId)
    {
        _identity ??= new ClusterIdentity(_dir);
        return _identity.PortOf(nodeId);
    }

    public async Task<NodeProcess> StartAsync(string nodeId)
    {
        if (_connection == "") _connection = await TestPostgres.ConnectionStringAsync();
        // Nodes may be started together (as a StatefulSet starts its pods in parallel).
        NodeProcess? previous;
        lock (Nodes) Nodes.Remove(nodeId, out previous);
        if (previous is not null) await previous.DisposeAsync();
        _identity ??= new ClusterIdentity(_dir);
        var node = await NodeProcess.StartAsync(_dir, [.. _identity.Arguments(nodeId, seedContacts), "--journal", "postgres", "--postgres-schema", _schema,
                "--node-id", nodeId, "--symbols", Symbols, "--shards", Shards.ToString(), "--data-dir", nodeId],
            port: _identity.PortOf(nodeId),
            // The test's settings last: they may replace the harness's (the connection string, say).
            environment: new Dictionary<string, string>
            {
                ["Exchange__ConnectionString"] = _connection,
                ["Exchange__AdminToken"] = Token,
            }.Concat(_identity.Environment).Concat(settings ?? new Dictionary<string, string>())
                .GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value));
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        lock (Nodes) Nodes[nodeId] = node;
        return node;
    }

    /// <summary>
    /// Restarts, as an orchestrator would, every node whose process ended although the test did not stop it; returns
    /// them with their exit codes. (Akka.Remote 1.5.74 shuts a node down, exit 79, when one of its outbound TLS
    /// handshakes fails — which also happens when the peer is killed in the middle of the handshake.)
    /// </summary>
    public async Task<IReadOnlyList<(string Node, int ExitCode)>> RestartExitedAsync(IEnumerable<string> except)
    {
        var exited = Nodes.Where(n => n.Value.HasExited && !except.Contains(n.Key))
            .Select(n => (n.Key, n.Value.ExitCode)).ToArray();
        foreach (var (id, _) in exited) await StartAsync(id);
        return exited;
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

    /// <summary>
    /// Waits until every shard that holds a symbol is owned by one of <paramref name="owners"/> and served by it (Akka
    /// allocates a shard when it first has an entity) — with <paramref name="balanced"/>, evenly — and returns how long it took.
    /// </summary>
    public async Task<TimeSpan> WaitOwnedByAsync(IReadOnlyCollection<string> owners, TimeSpan timeout, bool balanced = false)
    {
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < timeout)
        {
            var served = new Dictionary<int, string>();
            var used = 0;
            var complete = true;
            foreach (var id in owners)
            {
                // 503 while a region is busy handing shards over: ask again.
                if (await TryShardsAsync(Nodes[id]) is not { } shards)
                {
                    complete = false;
                    break;
                }
                used = shards.Count(s => s.Symbols.Length > 0);
                foreach (var s in shards)
                    if (s.ServingHere && s.Owner == id && !s.Expired) served[s.Shard] = id;
            }
            var counts = owners.Select(o => served.Values.Count(v => v == o)).ToArray();
            // Balanced as Akka's least-shard allocation leaves it: no node more than one shard ahead of another.
            if (complete && served.Count == used && (!balanced || counts.Max() - counts.Min() <= 1))
                return DateTime.UtcNow - started;
            await Task.Delay(50);
        }
        throw new TimeoutException($"shards not all served by {string.Join(',', owners)} within {timeout}");
    }

    /// <summary>
    /// The hand-over as a client sees it: from now until every symbol answers a book read through <paramref name="via"/>
    /// (a read of a symbol whose shard is moving waits in the region until the shard runs again).
    /// </summary>
    public static async Task<TimeSpan> WaitAllSymbolsAnswerAsync(NodeProcess via, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        await Task.WhenAll(Symbols.Split(',').Select(async symbol =>
        {
            while (true)
            {
                if (DateTime.UtcNow - started > timeout) throw new TimeoutException($"{symbol} did not answer within {timeout}");
                using var response = await via.Http.GetAsync($"/api/v1/books/{symbol}?depth=1");
                if (response.IsSuccessStatusCode) return;
                await Task.Delay(20);
            }
        }));
        return DateTime.UtcNow - started;
    }

    private static async Task<IReadOnlyList<(int Shard, string? Owner, bool Expired, bool ServingHere, string[] Symbols)>?> TryShardsAsync(NodeProcess node)
    {
        try
        {
            return await ShardsAsync(node);
        }
        catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }
    }

    /// <summary>
    /// The node serving a symbol, waiting up to 30 s for one: right after a node (re)joins, Akka's rebalance may be
    /// moving the symbol's shard, and a region busy with a hand-over answers 503.
    /// </summary>
    public async Task<NodeProcess> OwnerOfAsync(string symbol)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        do
        {
            foreach (var (id, node) in Nodes.Where(n => !n.Value.HasExited))
                if ((await TryShardsAsync(node) ?? []).Any(s => s.ServingHere && s.Owner == id && s.Symbols.Contains(symbol))) return node;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
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
