using System.Data.Common;
using AkkaExchange.Actors.Serialization;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// Reads the symbols' journal straight from Akka.Persistence.Sql's <c>event_journal</c> table (SQLite or PostgreSQL),
/// decoding each row with the exchange's codec — independently of the node, as an auditor would.
/// </summary>
internal static class JournalRows
{
    /// <summary>Every symbol row, by persistence id then row number.</summary>
    public static async Task<IReadOnlyList<(string PersistenceId, long Row, SymbolEvents Events)>> ReadAsync(DbConnection c)
    {
        var rows = new List<(string, long, SymbolEvents)>();
        await using var cmd = c.CreateCommand();
        // Sharding's remembered entities share the table under other persistence ids.
        cmd.CommandText = "SELECT persistence_id, sequence_nr, payload FROM event_journal WHERE persistence_id LIKE 'symbol-%' ORDER BY persistence_id, sequence_nr";
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetInt64(1), SymbolEventsCodec.Decode((byte[])r.GetValue(2))));
        return rows;
    }

    /// <summary>The events of one symbol, in order, checking that rows and event sequences are contiguous.</summary>
    public static IEnumerable<IBookEvent> EventsOf(IReadOnlyList<(string PersistenceId, long Row, SymbolEvents Events)> rows, string symbol)
    {
        long row = 0, sequence = 0;
        foreach (var (_, number, events) in rows.Where(r => r.PersistenceId == SymbolEntity.PersistenceIdOf(symbol)))
        {
            Assert.Equal(++row, number);
            Assert.Equal(sequence + 1, events.FirstSequence);
            sequence = events.LastSequence;
            foreach (var e in events.Events) yield return e;
        }
    }
}
