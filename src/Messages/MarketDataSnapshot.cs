namespace AkkaExchange.Messages;

/// <summary>
/// A symbol's committed book on its market-data topic, published on request (<see cref="RequestMarketDataSnapshot"/>)
/// after every update it includes: updates with a higher sequence follow it.
/// </summary>
public sealed record MarketDataSnapshot(string Symbol, string RequestId, BookView Book) : IWithSymbol
{
    public long Sequence => Book.Sequence;
}
