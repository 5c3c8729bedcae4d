using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.TestSupport;
using Microsoft.Data.Sqlite;

namespace AkkaExchange.Actors.Tests;

/// <summary>
/// A symbol's persistent entity on Akka.Persistence.Sql with a real SQLite journal, every message serialized:
/// durability across restarts, idempotency, snapshot recovery equal to a full replay, commit failures, market data.
/// </summary>
public sealed class SymbolEntitySpecs : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly InstrumentSpec Spec = new("AAA");
    private readonly string _path;
    private int _incarnation;

    public SymbolEntitySpecs() : this(Path.Combine(RepositoryPaths.TempDirectory("symbol-entity"), "journal.db"))
    {
    }

    private SymbolEntitySpecs(string path) : base(AkkaConfigs.Sqlite(path), "symbol-entity-specs") => _path = path;

    /// <summary>An incarnation of AAA's entity (a new one recovers from the journal); market data goes to <paramref name="marketData"/>.</summary>
    private IActorRef Start(int snapshotInterval = 10_000, IActorRef? marketData = null) =>
        Sys.ActorOf(SymbolEntity.Props(Spec, new SymbolSettings(snapshotInterval), marketData ?? CreateTestProbe().Ref, TimeProvider.System),
            $"AAA-{++_incarnation}");

    private void Stop(IActorRef entity)
    {
        Watch(entity);
        entity.Tell(PoisonPill.Instance);
        ExpectTerminated(entity, Timeout);
    }

    private static PlaceOrder Limit(string account, string id, Side side, long price, long qty) =>
        new("AAA", account, id, side, OrderType.Limit, price, qty, TimeInForce.Gtc, false);

    private static async Task<T> Ask<T>(IActorRef entity, object message) => await entity.Ask<T>(message, Timeout);

    private static Task<OrderReport> Report(IActorRef entity, object message) => Ask<OrderReport>(entity, message);

    private static async Task<long> SequenceAsync(IActorRef entity) => (await Ask<SymbolStateReport>(entity, new GetSymbolState("AAA"))).Sequence;

    [Fact]
    public async Task Acknowledged_orders_and_trades_survive_a_restart()
    {
        var x = Start();
        await Report(x, Limit("S", "s1", Side.Sell, 100, 10));
        var buy = await Report(x, Limit("B", "b1", Side.Buy, 101, 4));
        Assert.Equal(OrderStatus.Filled, buy.Status);
        var book = await Ask<BookView>(x, new GetBook("AAA", 10));
        var state = await Ask<SymbolStateReport>(x, new GetSymbolState("AAA"));
        Stop(x);

        var y = Start();
        var sell = await Report(y, new GetOrder("AAA", "S", "s1"));
        Assert.Equal((OrderStatus.PartiallyFilled, 4L, 6L), (sell.Status, sell.FilledQuantity, sell.LeavesQuantity));
        Assert.Equal(buy, await Report(y, new GetOrder("AAA", "B", "b1")));
        Assert.Equal(book, await Ask<BookView>(y, new GetBook("AAA", 10)));
        Assert.Single((await Ask<RecentTrades>(y, new GetTrades("AAA", 10))).Trades);
        Assert.Equal(state, await Ask<SymbolStateReport>(y, new GetSymbolState("AAA")));
    }

    [Fact]
    public async Task Resubmitting_a_clientOrderId_returns_the_original_order_also_after_a_restart()
    {
        var x = Start();
        var first = await Report(x, Limit("A", "c1", Side.Buy, 100, 10));
        Assert.Equal(first, await Report(x, Limit("A", "c1", Side.Buy, 100, 10)));
        Assert.Equal(1, await SequenceAsync(x));
        Stop(x);

        var y = Start();
        Assert.Equal(first, await Report(y, Limit("A", "c1", Side.Buy, 100, 10)));
        Assert.Equal(1, (await Ask<BookView>(y, new GetBook("AAA", 10))).Bids.Single().Orders);
        Assert.Equal(1, await SequenceAsync(y));
    }

    [Fact]
    public async Task Reusing_a_clientOrderId_for_a_different_order_is_refused_and_journals_nothing()
    {
        var x = Start();
        await Report(x, Limit("A", "c1", Side.Buy, 100, 10));
        var reply = await Ask<CommandRejected>(x, Limit("A", "c1", Side.Buy, 100, 11));
        Assert.Equal(RejectReason.DuplicateClientOrderId, reply.Reason);
        Assert.Equal(1, await SequenceAsync(x));
        Assert.Equal(1, JournalRows());
    }

    [Fact]
    public async Task Cancel_and_amend_find_the_order_by_its_client_id_and_an_unknown_one_is_refused()
    {
        var x = Start();
        await Report(x, Limit("A", "c1", Side.Buy, 100, 10));
        var amended = await Report(x, new AmendClientOrder("AAA", "A", "c1", 99, 8));
        Assert.Equal((99L, 8L), (amended.Price, amended.Quantity));
        var cancelled = await Report(x, new CancelClientOrder("AAA", "A", "c1"));
        Assert.Equal((OrderStatus.Cancelled, CancelReason.User), (cancelled.Status, cancelled.CancelReason));
        var before = await SequenceAsync(x);
        Assert.Equal(RejectReason.UnknownOrder, (await Ask<CommandRejected>(x, new CancelClientOrder("AAA", "A", "c1"))).Reason);
        Assert.Equal(RejectReason.UnknownOrder, (await Ask<CommandRejected>(x, new GetOrder("AAA", "A", "nope"))).Reason);
        Assert.Equal(before, await SequenceAsync(x));
    }

    [Fact]
    public async Task Recovery_from_a_snapshot_plus_the_tail_equals_a_full_replay_of_the_journal()
    {
        var x = Start(snapshotInterval: 25);
        var rng = new Random(7);
        var ids = new List<(string Account, string Id)>();
        // Pipelined like real traffic: several commands per journal write, so rows hold batches.
        var asks = new List<Task<object>>();
        for (var i = 0; i < 400; i++)
        {
            object command = rng.Next(5) == 0 && ids.Count > 0 && ids[rng.Next(ids.Count)] is var (a, id)
                ? new CancelClientOrder("AAA", a, id)
                : Limit($"A{rng.Next(4)}", $"o{i}", rng.Next(2) == 0 ? Side.Buy : Side.Sell, 100 + rng.Next(-5, 6), rng.Next(1, 20));
            if (command is PlaceOrder p) ids.Add((p.Account, p.ClientOrderId));
            asks.Add(x.Ask(command, Timeout));
            if (asks.Count == 16) { await Task.WhenAll(asks); asks.Clear(); }
        }
        await Task.WhenAll(asks);
        var live = await Ask<SymbolStateReport>(x, new GetSymbolState("AAA"));
        Stop(x);

        var y = Start(snapshotInterval: 25);
        var recovered = await Ask<SymbolStateReport>(y, new GetSymbolState("AAA"));
        Assert.Equal(live, recovered);
        Assert.True(SnapshotRows() > 0, "no snapshot was saved");

        // The reference: every journaled event from the first, applied to an empty book.
        var replayed = new SymbolState(Spec);
        var journal = PersistenceQuery.Get(Sys).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var rows = await journal.CurrentEventsByPersistenceId(SymbolEntity.PersistenceIdOf("AAA"), 0, long.MaxValue)
            .RunAggregate(new List<SymbolEvents>(), (list, e) => { list.Add((SymbolEvents)e.Event); return list; }, Sys.Materializer());
        Assert.True(rows.Count < 400, "every command was written alone: the entity does not batch");
        foreach (var row in rows)
        {
            Assert.Equal(replayed.Sequence + 1, row.FirstSequence);
            foreach (var e in row.Events) replayed.Apply(e);
        }
        Assert.Equal(recovered, new SymbolStateReport("AAA", replayed.Sequence, replayed.StateHash()));
        foreach (var (account, id) in ids.Take(50))
            Assert.Equal(replayed.Registry.Find(new ClientOrderKey(account, id))?.ToReport(), await y.Ask<object>(new GetOrder("AAA", account, id), Timeout) as OrderReport);
    }

    [Fact]
    public async Task A_failed_commit_answers_unavailable_and_leaves_no_trace_of_the_order()
    {
        var x = Start();
        await Report(x, Limit("S", "s1", Side.Sell, 100, 10));
        Execute("CREATE TRIGGER fail_next BEFORE INSERT ON event_journal BEGIN SELECT RAISE(FAIL, 'injected fault'); END");
        Watch(x);
        var refused = await Ask<CommandRejected>(x, Limit("B", "b1", Side.Buy, 100, 4));
        Assert.Equal(RejectReason.Unavailable, refused.Reason);
        // Akka stops a persistent actor whose write failed (sharding starts it again): nothing half-applied survives.
        ExpectTerminated(x, Timeout);
        Execute("DROP TRIGGER fail_next");

        var y = Start();
        Assert.Equal(RejectReason.UnknownOrder, (await Ask<CommandRejected>(y, new GetOrder("AAA", "B", "b1"))).Reason);
        Assert.Equal(0, (await Report(y, new GetOrder("AAA", "S", "s1"))).FilledQuantity);
        // A retry with the same clientOrderId goes through as a new order.
        var retried = await Report(y, Limit("B", "b1", Side.Buy, 100, 4));
        Assert.Equal((2L, OrderStatus.Filled), (retried.OrderId, retried.Status));
    }

    [Fact]
    public async Task Market_data_is_published_on_the_symbols_topic_after_commit_with_chained_sequences()
    {
        var mediator = CreateTestProbe();
        var x = Start(marketData: mediator.Ref);
        await Report(x, Limit("S", "s1", Side.Sell, 100, 10));
        await Report(x, Limit("S", "s2", Side.Sell, 101, 10));
        await Report(x, Limit("B", "b1", Side.Buy, 101, 15));
        var sequence = await SequenceAsync(x);
        var updates = new List<IMarketDataUpdate>();
        // Each write publishes its trades, then the book as of its last event.
        while (updates.Count == 0 || updates[^1] is not BookUpdate { Sequence: var last } || last < sequence)
        {
            var publish = mediator.ExpectMsg<Publish>(Timeout);
            Assert.Equal(MarketDataTopic.Of("AAA"), publish.Topic);
            updates.Add(Assert.IsAssignableFrom<IMarketDataUpdate>(publish.Message));
        }
        Assert.Equal(2, updates.OfType<TradeUpdate>().Count());
        for (var i = 1; i < updates.Count; i++) Assert.Equal(updates[i - 1].Sequence, updates[i].PreviousSequence);
        Assert.Equal(new BookLevel(101, 5, 1), Assert.IsType<BookUpdate>(updates[^1]).Asks.Single());
    }

    private long JournalRows() => (long)Scalar("SELECT count(*) FROM event_journal")!;

    private long SnapshotRows() => (long)Scalar("SELECT count(*) FROM snapshot")!;

    private object? Scalar(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private void Execute(string sql) => Scalar(sql);
}
