using System.Diagnostics;
using Akka;
using Akka.Actor;
using AkkaExchange.Actors.Settlement;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Bench;

/// <summary>
/// Settlement and reconciliation on a real Akka.Persistence.Sql journal, read through Akka.Persistence.Query as the node
/// does (100 symbols; every trade journaled in its own row with one order event beside it, as a book does):
/// <list type="number">
/// <item>Throughput: <c>--trades</c> trades already in the journal; the settlement projection starts at zero and
/// settles them all (trades/s).</item>
/// <item>Lag: for <c>--seconds</c>, trades arrive at <c>--rate</c> trades/s while settlement runs; lag is commit of the
/// settlement minus trade time (p50, p99).</item>
/// <item>Reconciliation: one full run over every trade (duration).</item>
/// </list>
/// Last line (contract): <c>settlement: N trades/s lag p50=Xms p99=Yms reconciliation=Zs trades=T journal=J</c>.
/// </summary>
internal static class SettlementBenchmark
{
    private static readonly FeeSchedule Fees = new(2, 1);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var trades = options.Int("trades", 1_000_000);
        var rate = options.Int("rate", 5_000);
        var seconds = options.Int("seconds", 10);
        var journalName = options.Text("journal", "sqlite");
        var directory = RepositoryPaths.TempDirectory("bench-settlement");
        var (config, pg, schema) = await BenchJournals.CreateAsync(journalName, directory);
        SettlementStore store = pg is not null ? new PostgresSettlementStore(pg, schema!) : new SqliteSettlementStore(Path.Combine(directory, "ledger.db"));
        var symbols = Enumerable.Range(0, 100).Select(i => $"S{i:000}").ToArray();
        var persistenceIds = symbols.Select(SymbolEntity.PersistenceIdOf).ToArray();
        await store.InitializeAsync(persistenceIds);
        var generator = new TradeGenerator(symbols);
        using var system = ActorSystem.Create("bench", config);
        var writers = symbols.Select(symbol => system.ActorOf(SymbolRowWriter.Props(symbol), $"writer-{symbol}")).ToArray();
        async Task AppendAsync(int count, long timestamp) =>
            await Task.WhenAll(generator.Next(count, timestamp).Select(r => writers[r.Symbol].Ask<Done>(r.Row, TimeSpan.FromMinutes(5))));

        Console.WriteLine($"settlement: journaling {trades:N0} trades ({journalName})...");
        for (var done = 0; done < trades; done += 10_000)
            await AppendAsync(Math.Min(10_000, trades - done), Micros());

        var journal = new JournalTrades(system, "akka.persistence.query.journal.sql");
        var started = Stopwatch.GetTimestamp();
        var settlement = system.ActorOf(SettlementProjection.Props(store, journal, persistenceIds, Fees, null, SettlementSettings.Default), "settlement");
        await CaughtUpAsync(settlement, generator.Rows);
        var throughput = trades / Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"settlement: {trades:N0} trades settled at {throughput:N0} trades/s");

        var pacedFrom = Micros();
        var paced = 0;
        var pacing = Stopwatch.StartNew();
        while (pacing.Elapsed.TotalSeconds < seconds)
        {
            // Open loop: whatever is due by now goes in one append, however late the timer woke.
            var due = (int)(rate * pacing.Elapsed.TotalSeconds) - paced;
            if (due > 0) await AppendAsync(due, Micros());
            paced += Math.Max(due, 0);
            await Task.Delay(5);
        }
        await CaughtUpAsync(settlement, generator.Rows);
        var lags = new List<long>();
        for (long after = 0; ;)
        {
            var page = await store.ReadSettlementsAsync(null, after, 50_000);
            if (page.Count == 0) break;
            lags.AddRange(page.Where(r => r.Notice.TradedAt >= pacedFrom).Select(r => r.SettledAt - r.Notice.TradedAt));
            after = page[^1].Seq;
        }
        lags.Sort();
        double Ms(double q) => lags.Count == 0 ? 0 : lags[(int)Math.Min(lags.Count - 1, q * lags.Count)] / 1000.0;
        Console.WriteLine($"settlement: {paced:N0} trades at {rate:N0}/s for {seconds}s: lag p50={Ms(0.5):F1}ms p99={Ms(0.99):F1}ms max={Ms(1):F1}ms");

        var reconciliation = system.ActorOf(ReconciliationActor.Props(store, journal, Fees, null,
            ReconciliationSettings.Default with { Interval = TimeSpan.FromDays(1) }), "reconciliation");
        var run = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.Full), TimeSpan.FromHours(1));
        Console.WriteLine($"settlement: reconciliation run over {run.TradesChecked:N0} trades: {run.DurationMs / 1000.0:F1}s, outcome {run.Outcome}");
        await store.DisposeAsync();
        await system.Terminate();
        Console.WriteLine(FormattableString.Invariant(
            $"settlement: {throughput:F0} trades/s lag p50={Ms(0.5):F1}ms p99={Ms(0.99):F1}ms reconciliation={run.DurationMs / 1000.0:F1}s trades={run.TradesChecked} journal={journalName}"));
        return run.Outcome == "clean" ? 0 : 1;
    }

    private static long Micros() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;

    private static async Task CaughtUpAsync(IActorRef settlement, long rows)
    {
        while ((await settlement.Ask<SettlementStatus>(GetSettlementStatus.Instance, TimeSpan.FromMinutes(5))).OffsetTotal < rows)
            await Task.Delay(20);
    }

    /// <summary>Trades between 400 customer accounts of 20 brokers, each in a row with the order event that follows it.</summary>
    private sealed class TradeGenerator(string[] symbols)
    {
        private readonly Random _rng = new(3);
        private readonly long[] _seq = new long[symbols.Length];
        private readonly long[] _tradeId = new long[symbols.Length];

        /// <summary>Rows journaled so far (what the projection's offsets add up to when caught up: one row per trade).</summary>
        public long Rows => _tradeId.Sum();

        public List<(int Symbol, SymbolEvents Row)> Next(int count, long timestamp)
        {
            var rows = new List<(int, SymbolEvents)>(count);
            for (var i = 0; i < count; i++)
            {
                var s = _rng.Next(symbols.Length);
                var id = ++_tradeId[s];
                var maker = $"BD{_rng.Next(20):000}-C{_rng.Next(20):000}";
                var taker = $"BD{_rng.Next(20):000}-C{_rng.Next(20):000}";
                if (taker == maker) taker = "BD999-C999";
                var trade = new TradeExecuted(symbols[s], id, _rng.Next(1_000, 50_000), _rng.Next(1, 500), _rng.Next(2) == 0 ? Side.Buy : Side.Sell,
                    id * 2, maker, id * 2 + 1, taker, timestamp);
                var done = new OrderCancelled(symbols[s], id * 2 + 1, 1, CancelReason.IocRemainder, timestamp);
                rows.Add((s, new SymbolEvents(_seq[s] + 1, [trade, done])));
                _seq[s] += 2;
            }
            return rows;
        }
    }
}
