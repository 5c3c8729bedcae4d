using Akka.Actor;
using Akka.Cluster;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// A signal for requests in flight: <see cref="Next"/> completes when a member is next removed from the cluster.
/// A request sent to a shard on a node that then died is lost with it; once the member is removed, the shard region
/// asks the coordinator for the shard's new home, so a request sent again then is buffered and delivered there —
/// sooner than waiting out the attempt's timeout.
/// </summary>
public sealed class MemberRemovals
{
    private sealed class Listener : ReceiveActor
    {
        public Listener(MemberRemovals owner)
        {
            Receive<ClusterEvent.MemberRemoved>(_ => owner.Signal());
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
        }

        protected override void PreStart() => Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, typeof(ClusterEvent.MemberRemoved));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MemberRemovals(ActorSystem system) => system.ActorOf(Props.Create(() => new Listener(this)), "member-removals");

    /// <summary>Completes at the next removal of a member (never faults).</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    private void Signal() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
