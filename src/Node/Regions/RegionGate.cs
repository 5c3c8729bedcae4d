using AkkaExchange.Messages;

namespace AkkaExchange.Node.Regions;

/// <summary>
/// Whether this node's region takes orders now, as <see cref="RegionMonitor"/> last found it. Read on every request
/// (one volatile read); the lease keeper, the symbol keeper and presence downing consult it too, so a region that is
/// not active starts no symbol, holds no lease and writes nothing.
/// </summary>
public sealed class RegionGate
{
    private volatile RegionStatus _status;
    private readonly IReadOnlyDictionary<string, string> _firstUrlOf;

    public RegionGate(string? region, IReadOnlyList<(string Region, string Url)> peers)
    {
        _status = region is null
            ? RegionStatus.SingleRegion
            : new RegionStatus(region, RegionRole.Waiting, null, 0, "unknown", null, null, null, [], [], "the region's database has not been read yet");
        _firstUrlOf = peers.GroupBy(p => p.Region, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Url, StringComparer.OrdinalIgnoreCase);
    }

    public RegionStatus Status
    {
        get => _status;
        internal set => _status = value;
    }

    /// <summary>True when this node's region takes orders.</summary>
    public bool AcceptsOrders => _status.AcceptsOrders;

    /// <summary>The reason an order is refused here, naming the active region and where to reach it when known.</summary>
    public string Refusal()
    {
        var s = _status;
        var other = s.ActiveRegion is { } active && !string.Equals(active, s.Region, StringComparison.OrdinalIgnoreCase) ? active : null;
        return RegionRefusal.Text(s.Region, $"{s.Role.ToString().ToLowerInvariant()}: {s.Reason}", other,
            other is not null && _firstUrlOf.TryGetValue(other, out var url) ? url : null);
    }
}
