using Akka.Actor;
using Akka.Cluster;
using AkkaExchange.Node.Hosting;

namespace AkkaExchange.Node.Api;

/// <summary>
/// Cancellation for the attempts of <see cref="SymbolGateway"/>'s asks, shared: one token per 100 ms of start time,
/// cancelled once <see cref="Attempt"/> has passed (so an attempt lasts between that and 100 ms more) — and all of
/// them at once when a member is removed from the cluster. A request sent to a shard on a node that then died is lost
/// with it; once the member is removed the shard region asks for the shard's new home, so the request sent again is
/// delivered there instead of waiting out its attempt. Shared tokens because a timer and a continuation per ask
/// (Akka's ask timeout, a WhenAny on one removal task) contended on the timer queue's and the task's locks under load.
/// </summary>
public sealed class AskAttempts
{
    private const long BucketMilliseconds = 100;

    private sealed class Listener : ReceiveActor
    {
        public Listener(AskAttempts owner)
        {
            Receive<ClusterEvent.MemberRemoved>(_ => owner.CancelAll());
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
        }

        protected override void PreStart() => Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, typeof(ClusterEvent.MemberRemoved));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private readonly Lock _gate = new();
    private readonly List<CancellationTokenSource> _live = new();
    private CancellationTokenSource? _current;
    private long _bucket = -1;

    public AskAttempts(ActorSystem system, NodeSettings settings)
    {
        // Two attempts per request timeout. A request lost with a dead node is sent again when the member is removed;
        // the timeout is for the rarer loss (a shard hand-off drops what it had buffered). Under overload every
        // attempt that runs out is sent again on top of the original: with four attempts an overloaded node
        // collapsed (1.5-2k answered/s with 100 sessions, most of its work spent on repeats and their exceptions).
        var timeout = settings.Options.RequestTimeout;
        Attempt = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, timeout.Ticks / 2));
        system.ActorOf(Props.Create(() => new Listener(this)), "ask-attempts");
    }

    /// <summary>How long an attempt waits for its answer at least.</summary>
    public TimeSpan Attempt { get; }

    /// <summary>The token for an attempt starting now.</summary>
    public CancellationToken Next()
    {
        var bucket = Environment.TickCount64 / BucketMilliseconds;
        if (Volatile.Read(ref _bucket) == bucket && Volatile.Read(ref _current) is { IsCancellationRequested: false } current) return current.Token;
        lock (_gate)
        {
            if (_bucket != bucket || _current is null || _current.IsCancellationRequested)
            {
                // Sources are not disposed: another thread may still be reading the token of one that was replaced.
                _live.RemoveAll(static s => s.IsCancellationRequested);
                var source = new CancellationTokenSource(Attempt + TimeSpan.FromMilliseconds(BucketMilliseconds));
                _live.Add(source);
                Volatile.Write(ref _current, source);
                Volatile.Write(ref _bucket, bucket);
            }
            return _current.Token;
        }
    }

    private void CancelAll()
    {
        CancellationTokenSource[] live;
        lock (_gate)
        {
            live = _live.ToArray();
            _live.Clear();
            _current = null;
        }
        foreach (var source in live) source.Cancel();
    }
}
