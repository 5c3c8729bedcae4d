using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// One journal row of a symbol: the events of the commands decided while the previous row was being written, in
/// order. <paramref name="FirstSequence"/> is the symbol's sequence number of the first of them (the symbol's own
/// count of events, which market data and snapshots carry); the row's Akka sequence number counts rows.
/// </summary>
public sealed record SymbolEvents(long FirstSequence, IReadOnlyList<IBookEvent> Events)
{
    public long LastSequence => FirstSequence + Events.Count - 1;

    public bool Equals(SymbolEvents? other) => other is not null && FirstSequence == other.FirstSequence && Events.SequenceEqual(other.Events);

    public override int GetHashCode() => HashCode.Combine(FirstSequence, Events.Count);
}
