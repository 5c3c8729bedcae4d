namespace AkkaExchange.Messages;

/// <summary>Between nodes: send me the market data of these symbols (the whole set wanted from you, replacing the last).</summary>
public sealed record MarketDataSubscription(IReadOnlyList<string> Symbols)
{
    public bool Equals(MarketDataSubscription? other) => other is not null && Symbols.SequenceEqual(other.Symbols);

    public override int GetHashCode() => Symbols.Count;
}
