using System.Collections.Concurrent;
using System.Threading.Channels;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;

namespace AkkaExchange.Node.MarketData;

/// <summary>
/// Per-symbol topics of committed market data. Symbol actors publish without blocking; each subscriber has a
/// bounded queue, and one that falls too far behind is cut off (its queue completes with an error) rather than
/// slowing the exchange: it reconnects and starts again from a snapshot.
/// </summary>
public sealed class MarketDataHub : IMarketDataSink
{
    public const int SubscriberQueueCapacity = 20_000;
    private readonly ConcurrentDictionary<string, Subscriber[]> _topics = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public void Publish(IMarketDataUpdate update)
    {
        if (!_topics.TryGetValue(update.Symbol, out var subscribers)) return;
        foreach (var s in subscribers)
            if (!s.Queue.Writer.TryWrite(update))
                s.Queue.Writer.TryComplete(new SlowConsumerException());
    }

    /// <summary>The symbols somebody on this node subscribes to now.</summary>
    public IReadOnlyList<string> SubscribedSymbols => _topics.Where(t => t.Value.Length > 0).Select(t => t.Key).ToArray();

    /// <summary>Subscribes to the given symbols; dispose the subscription to leave.</summary>
    public Subscription Subscribe(IReadOnlyCollection<string> symbols)
    {
        var subscriber = new Subscriber(Channel.CreateBounded<IMarketDataUpdate>(new BoundedChannelOptions(SubscriberQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        }));
        lock (_gate)
            foreach (var symbol in symbols)
                _topics[symbol] = _topics.GetValueOrDefault(symbol, []).Append(subscriber).ToArray();
        return new Subscription(subscriber.Queue.Reader, () =>
        {
            lock (_gate)
                foreach (var symbol in symbols)
                    _topics[symbol] = _topics.GetValueOrDefault(symbol, []).Where(s => s != subscriber).ToArray();
        });
    }

    private sealed record Subscriber(Channel<IMarketDataUpdate> Queue);

    /// <summary>A live subscription: read <see cref="Updates"/>; dispose to unsubscribe.</summary>
    public sealed class Subscription(ChannelReader<IMarketDataUpdate> updates, Action unsubscribe) : IDisposable
    {
        public ChannelReader<IMarketDataUpdate> Updates { get; } = updates;

        public void Dispose() => unsubscribe();
    }
}
