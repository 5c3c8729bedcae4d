using System.Data.Common;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// Checks a node's ledger against its journal straight in the database (SQLite or PostgreSQL), independently of the
/// node's own reconciliation: every journaled trade settled exactly once with exactly the legs the rules give, and
/// cash and shares conserved (what was deposited is all still there, between customers, brokers and the exchange).
/// </summary>
internal static class LedgerAudit
{
    public static async Task<IReadOnlyList<TradeExecuted>> JournalTradesAsync(DbConnection c)
    {
        var rows = await JournalRows.ReadAsync(c);
        return rows.SelectMany(r => r.Events.Events).OfType<TradeExecuted>().ToList();
    }

    /// <summary>True when the settlement projection has read every symbol's journal to its end.</summary>
    public static async Task<bool> CaughtUpAsync(DbConnection c)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT (SELECT COALESCE(SUM(m), 0) FROM (SELECT MAX(sequence_nr) AS m FROM event_journal WHERE persistence_id LIKE 'symbol-%' GROUP BY persistence_id) j)
                 - (SELECT COALESCE(SUM(sequence_nr), 0) FROM settlement_offsets)
            """;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync()) == 0;
    }

    public static async Task WaitCaughtUpAsync(Func<Task<DbConnection>> open, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var c = await open())
                if (await CaughtUpAsync(c)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("settlement did not catch up with the journal");
            await Task.Delay(200);
        }
    }

    public static async Task AssertSettledExactlyOnceAndConservedAsync(DbConnection c, FeeSchedule fees)
    {
        var trades = await JournalTradesAsync(c);
        Assert.NotEmpty(trades);
        var expected = trades.SelectMany(t => SettlementLogic.Settle(t, fees).Postings).Select(p => p.Key).ToList();
        var legs = new List<(string, long, string, string)>();
        var amounts = new Dictionary<(string, long, string, string), long>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT symbol, trade_id, account, asset, amount FROM ledger_postings WHERE symbol NOT LIKE 'deposit/%'";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var key = (r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3));
                legs.Add(key);
                amounts[key] = r.GetInt64(4);
            }
        }
        Assert.Equal(expected.Count, legs.Count);
        foreach (var p in trades.SelectMany(t => SettlementLogic.Settle(t, fees).Postings))
            Assert.Equal(p.Amount, amounts[p.Key]);
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT COUNT(*), COUNT(DISTINCT symbol || '/' || trade_id) FROM settlements";
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            Assert.Equal((2L * trades.Count, (long)trades.Count), (r.GetInt64(0), r.GetInt64(1)));
        }
        // Conservation: every asset's total outside the ledger's EXTERNAL account is what was deposited.
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = """
                SELECT asset, SUM(CASE WHEN account = 'EXTERNAL' THEN 0 ELSE amount END), SUM(CASE WHEN symbol LIKE 'deposit/%' AND account <> 'EXTERNAL' THEN amount ELSE 0 END)
                FROM ledger_postings GROUP BY asset
                """;
            await using var r = await cmd.ExecuteReaderAsync();
            var assets = 0;
            while (await r.ReadAsync())
            {
                assets++;
                Assert.True(Convert.ToInt64(r.GetValue(1)) == Convert.ToInt64(r.GetValue(2)), $"{r.GetString(0)}: held {r.GetValue(1)}, deposited {r.GetValue(2)}");
            }
            Assert.True(assets > 1);
        }
    }
}
