using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// Keeps every listed symbol running wherever its shard lives: sends sharding's own <see cref="ShardRegion.StartEntity"/>
/// for each symbol to the region when a member joins or leaves (a shard that moved starts its symbol at once, before any
/// order for it arrives) and every <c>interval</c> in case one of those was lost. The symbols are a fixed list, so
/// this replaces sharding's remember-entities, whose store must be read before a moved shard serves anything (on a
/// node still warming up that read outlasted its 5 s limit and left the shard down for another round).
/// </summary>
public sealed class SymbolKeeper : ReceiveActor, IWithTimers
{
    private sealed record Tick : INoSerializationVerificationNeeded
    {
        public static Tick Instance { get; } = new();
    }

    public SymbolKeeper(IActorRef region, IReadOnlyCollection<string> symbols, TimeSpan interval, Func<bool> active)
    {
        var starts = symbols.Select(s => new ShardRegion.StartEntity(s)).ToArray();
        Receive<Tick>(_ =>
        {
            // A standby region starts no symbol: its journal is a replica, and its leases are refused until it is active.
            if (!active()) return;
            foreach (var start in starts) region.Tell(start);
        });
        Receive<ClusterEvent.IMemberEvent>(_ => Self.Tell(Tick.Instance));
        Receive<ClusterEvent.CurrentClusterState>(_ => Self.Tell(Tick.Instance));
        // The regions' acknowledgements (an internal type) say nothing the next tick would not.
        ReceiveAny(_ => { });
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, interval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// Keeps <paramref name="symbols"/> started in <paramref name="region"/> while <paramref name="active"/> says this node's
    /// region takes orders (always, without regions).
    /// </summary>
    public static Props Props(IActorRef region, IReadOnlyCollection<string> symbols, TimeSpan interval, Func<bool> active) =>
        Akka.Actor.Props.Create(() => new SymbolKeeper(region, symbols, interval, active));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
