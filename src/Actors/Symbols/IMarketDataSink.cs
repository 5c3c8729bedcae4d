using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Symbols;

/// <summary>Where a symbol actor publishes its committed market data. Must not block: it is called from the actor.</summary>
public interface IMarketDataSink
{
    void Publish(IMarketDataUpdate update);

    /// <summary>A sink that drops everything.</summary>
    public static IMarketDataSink None { get; } = new NoSink();

    private sealed class NoSink : IMarketDataSink
    {
        public void Publish(IMarketDataUpdate update) { }
    }
}
