using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Settlement;

/// <summary>
/// The symbols' journals as settlement and reconciliation read them: through Akka.Persistence.Query, per
/// persistence id and by row number — never by the journal's global ordering, which a late commit can skip.
/// </summary>
public sealed class JournalTrades(ActorSystem system, string readJournalPluginId)
{
    // Made on first use, not at start-up: Akka.Persistence.Sql's read journal waits (5 s, blocking) for the write
    // journal to say it is initialized, which a node busy recovering its symbols may not do in time — that would fail
    // the node's start. Here a failure fails the stream or the run that asked, which retries; it is not cached.
    private readonly Lazy<IReadJournal> _lazy = new(() => PersistenceQuery.Get(system).ReadJournalFor<IReadJournal>(readJournalPluginId),
        LazyThreadSafetyMode.PublicationOnly);

    private IReadJournal Journal => _lazy.Value;

    /// <summary>The rows of a symbol after <paramref name="afterRow"/>, then each new row as it is committed; never completes.</summary>
    public Source<JournalRow, NotUsed> Live(string persistenceId, long afterRow) =>
        ((IEventsByPersistenceIdQuery)Journal).EventsByPersistenceId(persistenceId, afterRow + 1, long.MaxValue).Select(ToRow);

    /// <summary>The trades of a symbol's rows in (<paramref name="afterRow"/>, <paramref name="upToRow"/>], each with its row number.</summary>
    public async Task<IReadOnlyList<(long Row, TradeExecuted Trade)>> TradesAsync(string persistenceId, long afterRow, long upToRow,
        IMaterializer materializer)
    {
        if (upToRow <= afterRow) return [];
        var rows = await ((ICurrentEventsByPersistenceIdQuery)Journal)
            .CurrentEventsByPersistenceId(persistenceId, afterRow + 1, upToRow)
            .Select(ToRow)
            .RunWith(Sink.Seq<JournalRow>(), materializer)
            .ConfigureAwait(false);
        var trades = new List<(long, TradeExecuted)>();
        foreach (var row in rows)
            foreach (var e in row.Events.Events)
                if (e is TradeExecuted t) trades.Add((row.RowNumber, t));
        return trades;
    }

    private static JournalRow ToRow(EventEnvelope envelope) => envelope.Event is SymbolEvents events
        ? new JournalRow(envelope.PersistenceId, envelope.SequenceNr, events)
        : throw new InvalidOperationException($"{envelope.PersistenceId} row {envelope.SequenceNr} is a {envelope.Event.GetType().Name}, not symbol events");
}
