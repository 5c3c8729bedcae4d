using System.Collections.Concurrent;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;

namespace AkkaExchange.Node.MarketData;

/// <summary>
/// This node's end of the market-data topics (DistributedPubSub, one topic per symbol): one subscriber actor per node
/// subscribes to the topics its WebSocket sessions want and fans their updates out to the sessions' bounded queues.
/// A session that falls too far behind is cut off (its queue completes with an error) rather than slow anything
/// down: it reconnects and starts again from a snapshot.
/// <para>
/// Snapshots travel the topic too (<see cref="RequestMarketDataSnapshot"/>): a snapshot that arrived here was
/// published after every update it includes, by the symbol wherever it runs, and the topic delivers in order — so
/// a session that subscribed first receives every later update, with no gap, whichever node it is on.
/// </para>
/// </summary>
public sealed class MarketDataHub
{
    public const int SubscriberQueueCapacity = 20_000;
    private static readonly TimeSpan SnapshotRetry = TimeSpan.FromMilliseconds(500);
    private readonly ConcurrentDictionary<string, Channel<IMarketDataUpdate>[]> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _subscribed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<BookView>> _snapshots = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly IActorRef _subscriber;
    private readonly IActorRef _symbols;

    public MarketDataHub(ActorSystem system, IRequiredActor<SymbolRegion> region)
    {
        _symbols = region.ActorRef;
        _subscriber = system.ActorOf(Props.Create(() => new TopicSubscriber(this, DistributedPubSub.Get(system).Mediator)), "market-data");
    }

    /// <summary>Subscribes to the symbols' topics; returns once this node receives them. Dispose the subscription to leave.</summary>
    public async Task<Subscription> SubscribeAsync(IReadOnlyCollection<string> symbols, CancellationToken cancellation)
    {
        var queue = Channel.CreateBounded<IMarketDataUpdate>(new BoundedChannelOptions(SubscriberQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        lock (_gate)
            foreach (var symbol in symbols)
                _topics[symbol] = [.. _topics.GetValueOrDefault(symbol, []), queue];
        var subscription = new Subscription(queue.Reader, () =>
        {
            lock (_gate)
                foreach (var symbol in symbols)
                    _topics[symbol] = _topics.GetValueOrDefault(symbol, []).Where(q => q != queue).ToArray();
        });
        foreach (var symbol in symbols)
        {
            var subscribed = _subscribed.GetOrAdd(symbol, s =>
            {
                _subscriber.Tell(new Watch(s));
                return new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            });
            await subscribed.Task.WaitAsync(cancellation);
        }
        return subscription;
    }

    /// <summary>
    /// The symbol's committed book, as published on its topic after the updates it includes. Asked again every half
    /// second until <paramref name="timeout"/>: a request is lost while the symbol moves between nodes, and a
    /// snapshot is lost while the symbol's node has not yet heard of this node's subscription.
    /// </summary>
    public async Task<BookView> SnapshotAsync(string symbol, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var id = Guid.NewGuid().ToString("N");
            var answer = new TaskCompletionSource<BookView>(TaskCreationOptions.RunContinuationsAsynchronously);
            _snapshots[id] = answer;
            try
            {
                _symbols.Tell(new RequestMarketDataSnapshot(symbol, id));
                return await answer.Task.WaitAsync(SnapshotRetry, cancellation);
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
            finally
            {
                _snapshots.TryRemove(id, out _);
            }
        }
    }

    private void Subscribed(string symbol)
    {
        if (_subscribed.TryGetValue(symbol, out var done)) done.TrySetResult();
    }

    private void Dispatch(IWithSymbol message)
    {
        switch (message)
        {
            case MarketDataSnapshot snapshot:
                if (_snapshots.TryGetValue(snapshot.RequestId, out var answer)) answer.TrySetResult(snapshot.Book);
                break;
            case IMarketDataUpdate update when _topics.TryGetValue(update.Symbol, out var queues):
                foreach (var q in queues)
                    if (!q.Writer.TryWrite(update))
                        q.Writer.TryComplete(new SlowConsumerException());
                break;
        }
    }

    private sealed record Watch(string Symbol) : INoSerializationVerificationNeeded;

    /// <summary>The node's subscriber to the topics: every message of a topic arrives here, in the topic's order.</summary>
    private sealed class TopicSubscriber : ReceiveActor
    {
        public TopicSubscriber(MarketDataHub hub, IActorRef mediator)
        {
            Receive<Watch>(w => mediator.Tell(new Subscribe(MarketDataTopic.Of(w.Symbol), Self)));
            Receive<SubscribeAck>(ack => hub.Subscribed(MarketDataTopic.SymbolOf(ack.Subscribe.Topic)));
            Receive<IWithSymbol>(hub.Dispatch);
        }
    }

    /// <summary>A live subscription: read <see cref="Updates"/>; dispose to unsubscribe.</summary>
    public sealed class Subscription(ChannelReader<IMarketDataUpdate> updates, Action unsubscribe) : IDisposable
    {
        public ChannelReader<IMarketDataUpdate> Updates { get; } = updates;

        public void Dispose() => unsubscribe();
    }
}
