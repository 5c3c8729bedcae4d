namespace AkkaExchange.Node.Regions;

/// <summary>
/// A node's view of the regions, served at <c>GET /region</c>. <paramref name="Database"/> is <c>primary</c>,
/// <c>replica</c> or <c>unreachable</c>; on a replica <paramref name="ReplayLagBytes"/> is WAL received but not yet
/// replayed and <paramref name="LastReplayAgeMs"/> the age of the last replayed commit (it grows while the primary is
/// idle too); on a primary <paramref name="Replicas"/> lists its standbys. <paramref name="Reason"/> says why the
/// region takes no orders.
/// </summary>
public sealed record RegionStatus(
    string? Region,
    RegionRole Role,
    string? ActiveRegion,
    long Epoch,
    string Database,
    string? WalPosition,
    long? ReplayLagBytes,
    double? LastReplayAgeMs,
    IReadOnlyList<ReplicaLag> Replicas,
    IReadOnlyList<PeerRegion> Peers,
    string? Reason)
{
    /// <summary>The status of a node without regions.</summary>
    public static RegionStatus SingleRegion { get; } = new(null, RegionRole.Single, null, 0, "primary", null, null, null, [], [], null);

    /// <summary>True when the region takes orders.</summary>
    public bool AcceptsOrders => Role is RegionRole.Single or RegionRole.Active;
}
