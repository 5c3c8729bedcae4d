namespace AkkaExchange.Node.Regions;

/// <summary>
/// One standby streaming from this region's primary, as <c>pg_stat_replication</c> shows it: <paramref name="LagBytes"/>
/// of WAL the primary has that the standby has not replayed (the data a disaster now would lose in asynchronous mode),
/// <paramref name="ReplayLagMs"/> the time its last replayed commit took to get there, <paramref name="SyncState"/>
/// <c>sync</c> when commits wait for it.
/// </summary>
public sealed record ReplicaLag(string Name, string State, string SyncState, long LagBytes, double? ReplayLagMs);
