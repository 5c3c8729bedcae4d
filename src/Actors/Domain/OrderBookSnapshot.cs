namespace AkkaExchange.Actors.Domain;

/// <summary>
/// The whole state of a book: resting orders of each side in priority order (best price first, then time),
/// the id counters, the last trade and the number of events applied. Two books are equal when their
/// snapshots are equal; restoring a snapshot yields a book equal to the one it was taken from.
/// </summary>
public sealed record OrderBookSnapshot(
    string Symbol,
    long Sequence,
    long LastOrderId,
    long LastTradeId,
    long PrioritySequence,
    Messages.TradeExecuted? LastTrade,
    IReadOnlyList<RestingOrderState> Bids,
    IReadOnlyList<RestingOrderState> Asks)
{
    public bool Equals(OrderBookSnapshot? other) =>
        other is not null
        && Symbol == other.Symbol
        && Sequence == other.Sequence
        && LastOrderId == other.LastOrderId
        && LastTradeId == other.LastTradeId
        && PrioritySequence == other.PrioritySequence
        && Equals(LastTrade, other.LastTrade)
        && Bids.SequenceEqual(other.Bids)
        && Asks.SequenceEqual(other.Asks);

    public override int GetHashCode() => HashCode.Combine(Symbol, Sequence, LastOrderId, LastTradeId, Bids.Count, Asks.Count);
}
