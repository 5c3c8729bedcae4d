using System.Net.Http.Headers;
using System.Text.Json;

namespace AkkaExchange.TestSupport;

/// <summary>
/// Two regions on this machine, as scripts/regions-up.sh makes them: each its own PostgreSQL (A the primary, B a hot
/// standby fed by streaming replication, made by scripts/region-postgres.sh) and its own cluster of node processes
/// with its own certificate; each node knows the other region's node as its peer.
/// </summary>
public sealed class RegionPair : IAsyncDisposable
{
    public const string DefaultSymbols = "AAPL,MSFT,TSLA,NVDA";
    public const string Token = "test-admin-token-0123456789";
    private readonly string _dir = RepositoryPaths.TempDirectory("regions");
    private readonly string _symbols;

    /// <summary>Two regions trading <paramref name="symbols"/> (comma-separated).</summary>
    public RegionPair(string symbols = DefaultSymbols) => _symbols = symbols;
    private readonly Dictionary<string, (string Directory, int Port, ClusterIdentity Identity)> _regions = new();

    public Dictionary<string, NodeProcess> Nodes { get; } = new();

    public string Connection(string region) => $"Host=127.0.0.1;Port={_regions[region].Port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";

    /// <summary>Region A's database as a primary (<paramref name="mode"/> sync or async), region B's as its standby.</summary>
    private async Task StartDatabasesAsync(string mode)
    {
        foreach (var region in new[] { "A", "B" })
            _regions[region] = (Path.Combine(_dir, region.ToLowerInvariant()), FreePort.Next(), new ClusterIdentity(Directory.CreateDirectory(Path.Combine(_dir, "id-" + region)).FullName));
        await ScriptAsync("primary", _regions["A"].Directory, _regions["A"].Port.ToString(), mode);
        await ScriptAsync("standby", _regions["B"].Directory, _regions["B"].Port.ToString(), _regions["A"].Port.ToString(), "region_b");
    }

    /// <summary>
    /// Both regions from nothing: the databases (<paramref name="mode"/> sync or async), then both nodes together — a
    /// region's node takes no order before it has heard from the other — returning once A trades.
    /// </summary>
    public async Task<(NodeProcess A, NodeProcess B)> StartAsync(string mode, TimeSpan patience)
    {
        await StartDatabasesAsync(mode);
        var startingA = StartNodeAsync("A", "/health/live");
        var b = await StartNodeAsync("B", "/health/live");
        var a = await startingA;
        await a.WaitReadyAsync(patience);
        return (a, b);
    }

    /// <summary>Starts the node of <paramref name="region"/> (one per region), waiting until it answers <paramref name="readyPath"/>.</summary>
    public async Task<NodeProcess> StartNodeAsync(string region, string readyPath)
    {
        var peer = region == "A" ? "B" : "A";
        var nodeId = region.ToLowerInvariant() + "-1";
        var identity = _regions[region].Identity;
        var peerUrl = $"http://127.0.0.1:{_regions[peer].Identity.PortOf(peer.ToLowerInvariant() + "-1")}";
        NodeProcess? previous;
        lock (Nodes) Nodes.Remove(region, out previous);
        if (previous is not null) await previous.DisposeAsync();
        var node = await NodeProcess.StartAsync(_dir, [.. identity.Arguments(nodeId), "--journal", "postgres", "--node-id", nodeId,
                "--symbols", _symbols, "--data-dir", nodeId, "--region", region, "--peer-regions", $"{peer}={peerUrl}"],
            port: identity.PortOf(nodeId),
            environment: new Dictionary<string, string>
            {
                ["Exchange__ConnectionString"] = Connection(region),
                ["Exchange__AdminToken"] = Token,
            }.Concat(identity.Environment).ToDictionary(),
            readyPath: readyPath);
        node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        lock (Nodes) Nodes[region] = node;
        return node;
    }

    /// <summary>The disaster: kill -9 of the region's node and an immediate stop of its PostgreSQL.</summary>
    public async Task CrashAsync(string region)
    {
        if (Nodes.Remove(region, out var node)) await node.DisposeAsync();
        await ScriptAsync("crash", _regions[region].Directory);
    }

    /// <summary>Starts the region's PostgreSQL again as it was (an old primary comes back as a primary).</summary>
    public Task ReviveDatabaseAsync(string region) => ScriptAsync("start", _regions[region].Directory);

    /// <summary>Makes <paramref name="region"/>'s database a standby of <paramref name="primary"/>'s (a fresh base backup).</summary>
    public Task RebaseAsync(string region, string primary) => ScriptAsync("rebase", _regions[region].Directory, _regions[region].Port.ToString(),
        _regions[primary].Port.ToString(), "region_" + region.ToLowerInvariant());

    /// <summary>The node's <c>GET /region</c>.</summary>
    public static async Task<JsonElement> RegionAsync(NodeProcess node)
    {
        using var doc = JsonDocument.Parse(await node.Http.GetStringAsync("/region"));
        return doc.RootElement.Clone();
    }

    private static async Task ScriptAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RepoScript.RunAsync("region-postgres.sh", args);
        if (code != 0) throw new InvalidOperationException($"region-postgres.sh {string.Join(' ', args)} exited {code}: {stderr}{stdout}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Values) await node.DisposeAsync();
        foreach (var (directory, _, _) in _regions.Values)
        {
            try
            {
                await ScriptAsync("stop", directory);
            }
            catch (InvalidOperationException)
            {
                // Already stopped (a crashed region that was not revived).
            }
        }
    }
}
