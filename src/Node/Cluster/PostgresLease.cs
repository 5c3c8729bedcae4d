using System.Diagnostics;
using Akka.Actor;
using Akka.Coordination;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// An Akka.NET <see cref="Lease"/> on PostgreSQL (<see cref="LeaseSql"/>), renewed by the node's <see cref="LeaseKeeper"/>.
/// Sharding takes one per shard, cluster singletons one each and the split brain resolver one (lease-majority). The
/// journal and the ledger check the same table in their transactions (<see cref="JournalFence"/>,
/// <see cref="SingletonLeaseFence"/>), so a node that lost a lease — frozen, cut off — can no longer write under it.
/// </summary>
public sealed class PostgresLease : Lease
{
    /// <summary>The HOCON path of this lease implementation's settings.</summary>
    public const string ConfigPath = "akkaexchange.postgres-lease";

    private readonly LeaseKeeper _keeper;

    public PostgresLease(LeaseSettings settings, ExtendedActorSystem system) : base(settings) => _keeper = LeaseKeeper.Get(system);

    public override Task<bool> Acquire() => Acquire(null!);

    public override async Task<bool> Acquire(Action<Exception> leaseLostCallback)
    {
        if (!_keeper.MayHold) return false;
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(Settings.TimeoutSettings.OperationTimeout);
        var epoch = await LeaseSql.TryAcquireAsync(_keeper.Source, Settings.LeaseName, Settings.OwnerName, _keeper.PresenceKey, _keeper.Ttl, timeout.Token)
            .ConfigureAwait(false);
        if (epoch is null) return false;
        _keeper.Hold(Settings.LeaseName, Settings.OwnerName, leaseLostCallback, started);
        return true;
    }

    public override async Task<bool> Release()
    {
        _keeper.Forget(Settings.LeaseName);
        using var timeout = new CancellationTokenSource(Settings.TimeoutSettings.OperationTimeout);
        await LeaseSql.ReleaseAsync(_keeper.Source, Settings.LeaseName, Settings.OwnerName, _keeper.PresenceKey, timeout.Token).ConfigureAwait(false);
        return true;
    }

    public override bool CheckLease() => _keeper.IsHeld(Settings.LeaseName);
}
