using AkkaExchange.Actors.Domain.Settlement;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Persistence.Settlement;
using AkkaExchange.Actors.Settlement;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaExchange.Actors.Tests;

/// <summary>
/// The settlement projection and reconciliation on a real database (SQLite and PostgreSQL run the same suite):
/// trades journaled by the matching engine settle exactly once across restarts, and one reconciliation run finds and
/// repairs dropped deliveries and deleted legs, reports corrupted ones without touching them, and audits itself.
/// </summary>
public abstract class SettlementStoreSpecs : IAsyncLifetime
{
    private static readonly FeeSchedule Fees = new(2, 1);
    private static readonly string[] Symbols = ["AAPL", "MSFT", "TSLA"];
    private IJournal _journal = null!;
    private SettlementStore _store = null!;
    private readonly Dictionary<string, long> _sequence = new();
    private readonly List<TradeExecuted> _trades = new();

    /// <summary>The trades journaled so far.</summary>
    protected IReadOnlyList<TradeExecuted> Trades => _trades;

    protected SettlementStore Store => _store;

    /// <summary>Sum of the journal positions reached per symbol: the projection's offsets add up to this when it is caught up.</summary>
    protected long JournalEnd => _sequence.Values.Sum();

    protected abstract Task<(IJournal Journal, SettlementStore Store)> OpenAsync();

    /// <summary>Runs SQL on the ledger's database behind the store's back (the fault injection).</summary>
    protected abstract Task<int> ExecuteAsync(string sql);

    public async Task InitializeAsync()
    {
        (_journal, _store) = await OpenAsync();
        await _journal.InitializeAsync();
        await _store.InitializeAsync(Symbols);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _journal.DisposeAsync();
    }

    /// <summary>Journals <paramref name="count"/> trades (with an order event between trades, as a book would) across the symbols.</summary>
    protected async Task JournalTradesAsync(int count, int seed)
    {
        var rng = new Random(seed);
        var entries = new List<JournalEntry>();
        for (var i = 0; i < count; i++)
        {
            var symbol = Symbols[rng.Next(Symbols.Length)];
            var tradeId = _trades.Count(t => t.Symbol == symbol) + 1;
            var trade = new TradeExecuted(symbol, tradeId, rng.Next(100, 20_000), rng.Next(1, 300), Side.Buy, tradeId, $"BD00{rng.Next(4)}-C00{rng.Next(9)}",
                10_000 + tradeId, $"BD01{rng.Next(4)}-C01{rng.Next(9)}", 1_000_000 + i);
            _trades.Add(trade);
            var seq = _sequence[symbol] = _sequence.GetValueOrDefault(symbol) + 1;
            entries.Add(new JournalEntry(symbol, seq, BookEventCodec.TradeExecutedTag, BookEventCodec.CurrentVersion, BookEventCodec.Encode(trade), trade.Timestamp, "t"));
            var cancelled = new OrderCancelled(symbol, 10_000 + tradeId, 1, CancelReason.User, trade.Timestamp);
            seq = _sequence[symbol] = seq + 1;
            entries.Add(new JournalEntry(symbol, seq, BookEventCodec.TagOf(cancelled), BookEventCodec.CurrentVersion, BookEventCodec.Encode(cancelled), trade.Timestamp, "t"));
        }
        await _journal.AppendAsync(entries);
    }

    protected async Task<long> CountAsync(string table) => await ScalarAsync($"SELECT COUNT(*) FROM {table}");

    /// <summary>Reads one number with SQL.</summary>
    protected abstract Task<long> ScalarAsync(string sql);

    private async Task SettleAllAsync(ActorSystem system, SettlementSettings settings)
    {
        var actor = system.Spawn("settlement", () => new SettlementActor(_store, Fees, null, settings, NullLogger.Instance));
        await actor.Started;
        var target = _sequence.Values.Sum();
        for (var i = 0; i < 600; i++)
        {
            var status = await actor.Ask<SettlementStatus>(GetSettlementStatus.Instance, TimeSpan.FromSeconds(10));
            if (status.OffsetTotal == target)
            {
                await system.StopActorAsync("settlement");
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("settlement did not reach the end of the journal");
    }

    private static ReconciliationActor Reconciliation(SettlementStore store) =>
        new(store, Fees, null, ReconciliationSettings.Default with { Interval = TimeSpan.FromHours(1) }, NullLogger.Instance);

    [Fact]
    public async Task Journaled_trades_settle_exactly_once_across_restarts()
    {
        await JournalTradesAsync(300, 1);
        await using (var system = new ActorSystem()) await SettleAllAsync(system, SettlementSettings.Default with { EventsPerBatch = 100 });
        await JournalTradesAsync(200, 2);
        // A new instance (a restart, a singleton moved) continues from the committed offsets.
        await using (var system = new ActorSystem()) await SettleAllAsync(system, SettlementSettings.Default);

        var expected = _trades.SelectMany(t => SettlementLogic.Settle(t, Fees).Postings).ToList();
        Assert.Equal(expected.Count, await CountAsync("ledger_postings"));
        Assert.Equal(2 * _trades.Count, await CountAsync("settlements"));
        foreach (var account in expected.Select(p => p.Account).Distinct().Take(10))
        {
            var balances = await _store.ReadBalancesAsync(account);
            foreach (var (asset, amount) in expected.Where(p => p.Account == account).GroupBy(p => p.Asset).Select(g => (g.Key, g.Sum(p => p.Amount))))
                Assert.Equal(amount, balances.GetValueOrDefault(asset));
        }
        // Replaying a batch that was already committed changes nothing.
        var again = SettlementLogic.Settle(_trades[0], Fees);
        Assert.Equal(0, await _store.CommitAsync(new SettlementBatch(again.Postings, again.Notices), null));
        Assert.Equal(2 * _trades.Count, await CountAsync("settlements"));
        var buyer = _trades[0].TakerAccount;
        var notices = await _store.ReadSettlementsAsync(buyer, 0, 1000);
        Assert.Equal(_trades.Count(t => t.TakerAccount == buyer), notices.Count(n => n.Notice.Side == Side.Buy));
        Assert.True(notices.Zip(notices.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
    }

    [Fact]
    public async Task One_reconciliation_run_repairs_dropped_deliveries_and_deleted_legs_and_reports_a_corrupted_leg()
    {
        await JournalTradesAsync(400, 3);
        await using var system = new ActorSystem();
        await SettleAllAsync(system, SettlementSettings.Default with { DropRate = 0.1 });
        var expected = _trades.SelectMany(t => SettlementLogic.Settle(t, Fees).Postings).ToList();
        var droppedLegs = expected.Count - await CountAsync("ledger_postings");
        Assert.True(droppedLegs > 0, "the fault injection dropped nothing");
        // As the DTCC drill does: delete random records.
        var deleted = await ExecuteAsync("DELETE FROM ledger_postings WHERE (trade_id * 7 + LENGTH(account)) % 23 = 0");
        Assert.True(deleted > 0);

        var reconciliation = system.Spawn("reconciliation", () => Reconciliation(_store));
        var run = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.SinceLastClean), TimeSpan.FromMinutes(1));
        Assert.Equal("repaired", run.Outcome);
        Assert.Equal(_trades.Count, run.TradesChecked);
        Assert.True(run.Replayed > 0 && run.Replayed == run.Missing);
        Assert.Equal(expected.Count, await CountAsync("ledger_postings"));
        Assert.Equal(2 * _trades.Count, await CountAsync("settlements"));

        var clean = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.Full), TimeSpan.FromMinutes(1));
        Assert.Equal(("clean", 0L, (long)_trades.Count), (clean.Outcome, clean.Missing, clean.TradesChecked));

        // A corrupted amount is a break for a person: reported, not overwritten, reported again until fixed.
        var victim = _trades[17];
        Assert.Equal(1, await ExecuteAsync($"UPDATE ledger_postings SET amount = amount + 1 WHERE symbol = '{victim.Symbol}' AND trade_id = {victim.TradeId} AND asset = 'CASH' AND account = '{victim.MakerAccount}'"));
        var broken = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.Full), TimeSpan.FromMinutes(1));
        Assert.Equal(("breaks", 1L, 0L), (broken.Outcome, broken.Mismatched, broken.Replayed));
        Assert.Contains($"{victim.Symbol} trade {victim.TradeId}", broken.Details);
        var legAfter = await _store.ReadPostingsAsync(victim.Symbol, victim.TradeId - 1, victim.TradeId);
        var legWanted = SettlementLogic.Settle(victim, Fees).Postings.Single(p => p.Account == victim.MakerAccount && p.Asset == "CASH");
        Assert.Equal(legWanted.Amount + 1, legAfter.Single(p => p.Account == victim.MakerAccount && p.Asset == "CASH").Amount);

        var audit = await _store.ReadRunsAsync(10);
        Assert.Equal(["breaks", "clean", "repaired"], audit.Select(r => r.Outcome));
        Assert.Equal(run.Replayed, audit[2].Replayed);
    }

    [Fact]
    public async Task A_run_since_the_last_clean_one_reads_only_the_new_trades()
    {
        await JournalTradesAsync(200, 5);
        await using var system = new ActorSystem();
        await SettleAllAsync(system, SettlementSettings.Default);
        var reconciliation = system.Spawn("reconciliation", () => Reconciliation(_store));
        var first = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.SinceLastClean), TimeSpan.FromMinutes(1));
        Assert.Equal(200, first.TradesChecked);
        await JournalTradesAsync(30, 6);
        await SettleAllAsync(system, SettlementSettings.Default);
        var second = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.SinceLastClean), TimeSpan.FromMinutes(1));
        Assert.Equal((30L, "clean"), (second.TradesChecked, second.Outcome));
    }

    [Fact]
    public async Task Deposits_are_balanced_and_applied_once_per_reference()
    {
        Assert.True(await _store.DepositAsync("open-1", "BD001-C001", "CASH", 1_000_000));
        Assert.False(await _store.DepositAsync("open-1", "BD001-C001", "CASH", 1_000_000));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.DepositAsync("open-1", "BD001-C001", "CASH", 5));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.DepositAsync("open-1", "BD002-C001", "CASH", 1_000_000));
        Assert.Equal(1_000_000, (await _store.ReadBalancesAsync("BD001-C001"))["CASH"]);
        Assert.Equal(-1_000_000, (await _store.ReadBalancesAsync(Accounts.External))["CASH"]);
    }
}
