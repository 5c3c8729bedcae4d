using System.Net.Http.Json;
using System.Text.Json;
using AkkaExchange.Node.Cluster;
using AkkaExchange.Node.Hosting;
using Npgsql;

namespace AkkaExchange.Node.Regions;

/// <summary>
/// Keeps <see cref="RegionGate"/> true to the world, twice a second: reads this region's database (primary or
/// replica, the active region and epoch, replication lag) and asks the peer regions' nodes for theirs. The rules, in
/// order: a replica, or a database naming another region active, is <see cref="RegionRole.Standby"/>; a peer with a
/// higher epoch makes this region <see cref="RegionRole.Fenced"/> (and, when its database is writable, records the
/// peer's epoch there so the fence outlives a restart); a node that started since the last region change waits
/// (<see cref="RegionRole.Waiting"/>) until a peer answers; otherwise the region is <see cref="RegionRole.Active"/>.
/// A database that does not answer leaves the last decision in place: its writes fail anyway.
/// </summary>
public sealed class RegionMonitor : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(1);
    private readonly RegionGate _gate;
    private readonly string _region;
    private readonly IReadOnlyList<(string Region, string Url)> _peers;
    private readonly NpgsqlDataSource _source;
    private readonly HttpClient _http = new() { Timeout = PeerTimeout };
    private readonly ILogger<RegionMonitor> _log;
    private readonly SemaphoreSlim _wake = new(0);
    private long? _epochAtStart;
    private bool _peerAnswered;

    public RegionMonitor(NodeSettings settings, RegionGate gate, ILogger<RegionMonitor> log)
    {
        var o = settings.Options;
        _region = o.Region ?? throw new InvalidOperationException("RegionMonitor needs a region");
        _peers = settings.PeerRegions;
        _gate = gate;
        _log = log;
        _source = new NpgsqlDataSourceBuilder(LeaseKeeper.ConnectionString(o.ConnectionString!, o.PostgresSchema, null))
        {
            ConnectionStringBuilder = { MaxPoolSize = 4, CommandTimeout = 5 },
        }.Build();
    }

    /// <summary>Makes this region the active one (a failover, <see cref="RegionSql.TakeOverAsync"/>), then re-reads at once.</summary>
    public async Task<(long Epoch, bool Promoted)> TakeOverAsync(CancellationToken cancellation)
    {
        var result = await RegionSql.TakeOverAsync(_source, _region, cancellation);
        _log.LogWarning("region {Region} took over: epoch {Epoch}{Promoted}", _region, result.Epoch, result.Promoted ? ", database promoted" : "");
        await RefreshAsync(cancellation);
        return result;
    }

    /// <summary>Hands the active role to <paramref name="to"/> (<see cref="RegionSql.HandOverAsync"/>): this region stops taking orders at once.</summary>
    public async Task<(long Epoch, string WalPosition)> HandOverAsync(string to, CancellationToken cancellation)
    {
        var handOver = RegionSql.HandOverAsync(_source, to, TimeSpan.FromSeconds(60), cancellation);
        // Read again while the hand-over waits for the leases: the gate closes, and the nodes give them up.
        _wake.Release();
        var result = await handOver;
        _log.LogWarning("region {Region} handed over to {To}: epoch {Epoch}, replicated up to {Position}", _region, to, result.Epoch, result.WalPosition);
        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                _log.LogWarning("region check failed: {Reason}", e.Message);
            }
            try
            {
                await _wake.WaitAsync(Interval, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads the database and asks the peers now (an operator's command decides on a fresh view).</summary>
    public async Task RefreshAsync(CancellationToken cancellation)
    {
        var peersTask = Task.WhenAll(_peers.Select(p => AskPeerAsync(p.Region, p.Url, cancellation)));
        RegionSql.View? view = null;
        try
        {
            view = await RegionSql.ReadAsync(_source, cancellation);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellation.IsCancellationRequested)
        {
            _log.LogDebug("region database unreachable: {Reason}", e.Message);
        }
        var peers = await peersTask;
        if (peers.Any(p => p.Reachable)) _peerAnswered = true;
        var previous = _gate.Status;
        if (view is null)
        {
            _gate.Status = previous with { Database = "unreachable", Peers = peers };
            return;
        }
        _epochAtStart ??= view.Epoch;
        var (role, reason) = Decide(view, peers);
        if (role == RegionRole.Fenced && !view.InRecovery && peers.Where(p => p.Reachable).MaxBy(p => p.Epoch) is { ActiveRegion: { } winner, Epoch: { } epoch })
            await RegionSql.RecordAsync(_source, winner, epoch, cancellation);
        _gate.Status = new RegionStatus(_region, role, view.ActiveRegion, view.Epoch, view.InRecovery ? "replica" : "primary", view.WalPosition,
            view.ReplayLagBytes, view.LastReplayAgeMs, view.Replicas, peers, reason);
        if (role != previous.Role)
            _log.LogWarning("region {Region} is now {Role}{Reason}", _region, role.ToString().ToLowerInvariant(), reason is null ? "" : $": {reason}");
    }

    private (RegionRole Role, string? Reason) Decide(RegionSql.View view, IReadOnlyList<PeerRegion> peers)
    {
        if (view.InRecovery)
            return (RegionRole.Standby, $"its database is a replica{(view.ActiveRegion is { } a ? $" of region {a}'s" : "")}");
        if (view.ActiveRegion is null)
            return (RegionRole.Standby, "its database has no region record yet");
        if (!string.Equals(view.ActiveRegion, _region, StringComparison.OrdinalIgnoreCase))
            return (RegionRole.Standby, $"its database names region {view.ActiveRegion} active (epoch {view.Epoch})");
        if (peers.Where(p => p.Reachable && p.Epoch > view.Epoch).MaxBy(p => p.Epoch) is { } newer)
            return (RegionRole.Fenced, $"region {newer.Region} took over at epoch {newer.Epoch}; this region holds epoch {view.Epoch}");
        if (_peers.Count > 0 && !_peerAnswered && view.Epoch == _epochAtStart)
            return (RegionRole.Waiting, "no peer region has answered since this node started, and a region that was down may have lost a failover");
        return (RegionRole.Active, null);
    }

    private async Task<PeerRegion> AskPeerAsync(string region, string url, CancellationToken cancellation)
    {
        try
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync(new Uri(new Uri(url), "/region"), cancellation));
            var root = doc.RootElement;
            return new PeerRegion(region, url, true, Text(root, "role"), Text(root, "activeRegion"),
                root.TryGetProperty("epoch", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellation.IsCancellationRequested)
        {
            return new PeerRegion(region, url, false, null, null, null);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public override void Dispose()
    {
        _http.Dispose();
        _source.Dispose();
        _wake.Dispose();
        base.Dispose();
    }
}
