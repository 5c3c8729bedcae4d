using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using AkkaExchange.Actors.Settlement;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Actors.Tests;

/// <summary>
/// The settlement projection and reconciliation on a real database (SQLite and PostgreSQL run the same suite), reading
/// the symbols' journal through Akka.Persistence.Query as the node does: trades journaled as symbol rows settle exactly
/// once across restarts, and one reconciliation run finds and repairs dropped deliveries and deleted legs, reports
/// corrupted ones without touching them, and audits itself.
/// </summary>
public abstract class SettlementStoreSpecs(Config config) : TestKit(config), IAsyncLifetime
{
    private static readonly FeeSchedule Fees = new(2, 1);
    private static readonly string[] Symbols = ["AAPL", "MSFT", "TSLA"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private SettlementStore _store = null!;
    private readonly Dictionary<string, long> _rows = new();
    private readonly Dictionary<string, long> _sequence = new();
    private readonly Dictionary<string, IActorRef> _writers = new();
    private readonly List<TradeExecuted> _trades = new();
    private int _instances;

    /// <summary>The trades journaled so far.</summary>
    protected IReadOnlyList<TradeExecuted> Trades => _trades;

    protected SettlementStore Store => _store;

    protected abstract Task<SettlementStore> OpenAsync();

    /// <summary>Runs SQL on the ledger's database behind the store's back (the fault injection).</summary>
    protected abstract Task<int> ExecuteAsync(string sql);

    /// <summary>Reads one number with SQL.</summary>
    protected abstract Task<long> ScalarAsync(string sql);

    private static string[] PersistenceIds => Symbols.Select(SymbolEntity.PersistenceIdOf).ToArray();

    public async Task InitializeAsync()
    {
        _store = await OpenAsync();
        await _store.InitializeAsync(PersistenceIds);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    /// <summary>Journals <paramref name="count"/> trades, each in its own row with the order event that follows it in a book.</summary>
    protected async Task JournalTradesAsync(int count, int seed)
    {
        var rng = new Random(seed);
        var writes = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var symbol = Symbols[rng.Next(Symbols.Length)];
            var tradeId = _trades.Count(t => t.Symbol == symbol) + 1;
            var trade = new TradeExecuted(symbol, tradeId, rng.Next(100, 20_000), rng.Next(1, 300), Side.Buy, tradeId, $"BD00{rng.Next(4)}-C00{rng.Next(9)}",
                10_000 + tradeId, $"BD01{rng.Next(4)}-C01{rng.Next(9)}", 1_000_000 + i);
            _trades.Add(trade);
            var first = _sequence.GetValueOrDefault(symbol) + 1;
            _sequence[symbol] = first + 1;
            _rows[symbol] = _rows.GetValueOrDefault(symbol) + 1;
            var writer = _writers.TryGetValue(symbol, out var w) ? w
                : _writers[symbol] = Sys.ActorOf(SymbolRowWriter.Props(symbol), $"writer-{symbol}");
            writes.Add(writer.Ask<Done>(new SymbolEvents(first, [trade, new OrderCancelled(symbol, 10_000 + tradeId, 1, CancelReason.User, trade.Timestamp)]), Timeout));
        }
        await Task.WhenAll(writes);
    }

    protected async Task<long> CountAsync(string table) => await ScalarAsync($"SELECT COUNT(*) FROM {table}");

    private JournalTrades Journal => new(Sys, "akka.persistence.query.journal.sql");

    /// <summary>Runs a settlement projection (a new instance each time: a restart, a moved singleton) until it has read every row.</summary>
    private async Task<IActorRef> SettleAllAsync(SettlementSettings settings, bool stop = true, ILedgerFence? fence = null)
    {
        var projection = Sys.ActorOf(SettlementProjection.Props(_store, Journal, PersistenceIds, Fees, fence, settings), $"settlement-{++_instances}");
        await SettledAsync(projection);
        if (stop)
        {
            Watch(projection);
            Sys.Stop(projection);
            ExpectTerminated(projection, Timeout);
        }
        return projection;
    }

    protected async Task SettledAsync(IActorRef projection)
    {
        var target = _rows.Values.Sum();
        for (var i = 0; i < 600; i++)
        {
            if ((await projection.Ask<SettlementStatus>(GetSettlementStatus.Instance, Timeout)).OffsetTotal == target) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("settlement did not reach the end of the journal");
    }

    protected IActorRef StartSettlement(ILedgerFence? fence) =>
        Sys.ActorOf(SettlementProjection.Props(_store, Journal, PersistenceIds, Fees, fence,
            SettlementSettings.Default with { RetryPause = TimeSpan.FromMilliseconds(200) }), $"settlement-{++_instances}");

    private IActorRef Reconciliation() => Sys.ActorOf(ReconciliationActor.Props(_store, Journal, Fees, null,
        ReconciliationSettings.Default with { Interval = TimeSpan.FromHours(1) }), $"reconciliation-{++_instances}");

    [Fact]
    public async Task Journaled_trades_settle_exactly_once_across_restarts()
    {
        await JournalTradesAsync(300, 1);
        await SettleAllAsync(SettlementSettings.Default with { RowsPerBatch = 100 });
        await JournalTradesAsync(200, 2);
        // A new instance (a restart, a singleton moved) continues from the committed offsets.
        await SettleAllAsync(SettlementSettings.Default);

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
        Assert.True(notices.Zip(notices.Skip(1), (a, b) => a.Seq < b.Seq).All(ordered => ordered));
    }

    [Fact]
    public async Task One_reconciliation_run_repairs_dropped_deliveries_and_deleted_legs_and_reports_a_corrupted_leg()
    {
        await JournalTradesAsync(400, 3);
        await SettleAllAsync(SettlementSettings.Default with { DropRate = 0.1 });
        var expected = _trades.SelectMany(t => SettlementLogic.Settle(t, Fees).Postings).ToList();
        var droppedLegs = expected.Count - await CountAsync("ledger_postings");
        Assert.True(droppedLegs > 0, "the fault injection dropped nothing");
        // As the DTCC drill does: delete random records.
        var deleted = await ExecuteAsync("DELETE FROM ledger_postings WHERE (trade_id * 7 + LENGTH(account)) % 23 = 0");
        Assert.True(deleted > 0);

        var reconciliation = Reconciliation();
        var run = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.SinceLastClean), Timeout);
        Assert.Equal("repaired", run.Outcome);
        Assert.Equal(_trades.Count, run.TradesChecked);
        Assert.True(run.Replayed > 0 && run.Replayed == run.Missing);
        Assert.Equal(expected.Count, await CountAsync("ledger_postings"));
        Assert.Equal(2 * _trades.Count, await CountAsync("settlements"));

        var clean = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.Full), Timeout);
        Assert.Equal(("clean", 0L, (long)_trades.Count), (clean.Outcome, clean.Missing, clean.TradesChecked));

        // A corrupted amount is a break for a person: reported, not overwritten, reported again until fixed.
        var victim = _trades[17];
        Assert.Equal(1, await ExecuteAsync($"UPDATE ledger_postings SET amount = amount + 1 WHERE symbol = '{victim.Symbol}' AND trade_id = {victim.TradeId} AND asset = 'CASH' AND account = '{victim.MakerAccount}'"));
        var broken = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.Full), Timeout);
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
        await SettleAllAsync(SettlementSettings.Default);
        var reconciliation = Reconciliation();
        var first = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.SinceLastClean), Timeout);
        Assert.Equal(200, first.TradesChecked);
        await JournalTradesAsync(30, 6);
        await SettleAllAsync(SettlementSettings.Default);
        var second = await reconciliation.Ask<ReconciliationRun>(new RunReconciliation(ReconciliationActor.SinceLastClean), Timeout);
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

    [Fact]
    public async Task The_ledger_hash_moves_with_each_new_entry_and_not_with_a_repeated_one()
    {
        var empty = await _store.HashAsync();
        Assert.Equal((0L, 0L), (empty.Postings, empty.Settlements));
        Assert.True(await _store.DepositAsync("open-h", "BD001-C001", "CASH", 500));
        var one = await _store.HashAsync();
        Assert.NotEqual(empty.Hash, one.Hash);
        Assert.Equal(2, one.Postings);
        // The same deposit again is no entry: the same ledger, the same hash, read twice.
        Assert.False(await _store.DepositAsync("open-h", "BD001-C001", "CASH", 500));
        Assert.Equal(one, await _store.HashAsync());
        Assert.True(await _store.DepositAsync("open-i", "BD001-C001", "CASH", 500));
        Assert.NotEqual(one.Hash, (await _store.HashAsync()).Hash);
    }
}
