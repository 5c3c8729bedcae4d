namespace AkkaExchange.Messages;

/// <summary>
/// The aggregated book of a symbol at journal sequence <paramref name="Sequence"/>: bids best (highest) first,
/// asks best (lowest) first.
/// </summary>
public sealed record BookView(string Symbol, long Sequence, IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks, TradeExecuted? LastTrade)
{
    /// <summary>Equal when every level is equal.</summary>
    public bool Equals(BookView? other) =>
        other is not null && Symbol == other.Symbol && Sequence == other.Sequence && Equals(LastTrade, other.LastTrade)
        && Bids.SequenceEqual(other.Bids) && Asks.SequenceEqual(other.Asks);

    public override int GetHashCode() => HashCode.Combine(Symbol, Sequence, Bids.Count, Asks.Count);
}
