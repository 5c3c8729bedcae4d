using Akka.Actor;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// What a symbol entity decided since its last write, and everything that waits for the write of it: the events
/// (one journal row), the replies held until the row is committed, and, captured when the row is sent, the book
/// it leaves (for market data), the snapshot to save and the market-data snapshots asked for.
/// </summary>
internal sealed class PendingWrite
{
    public List<IBookEvent> Events { get; } = new();

    public List<(IActorRef To, object Reply)> Replies { get; } = new();

    /// <summary>Market-data snapshots to publish after this write's updates (request ids).</summary>
    public List<string>? SnapshotRequests { get; set; }

    /// <summary>The symbol's sequence number of the first event; set when the row is sent.</summary>
    public long FirstSequence { get; set; }

    /// <summary>When the row was sent to the journal (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long SentAt { get; set; }

    /// <summary>The book once this row is applied; set when the row is sent.</summary>
    public BookView? View { get; set; }

    /// <summary>A snapshot of the state once this row is applied, saved after the row is committed; set when due.</summary>
    public SymbolSnapshot? Snapshot { get; set; }
}
