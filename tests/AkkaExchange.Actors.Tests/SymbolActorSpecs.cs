using System.Collections.Concurrent;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Actors.Tests;

/// <summary>Symbol actors on the kernel with a real SQLite journal: durability, idempotency, recovery, commit failures.</summary>
public sealed class SymbolActorSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _path = Path.Combine(RepositoryPaths.TempDirectory("symbol-actor"), "journal.db");
    private readonly List<LocalExchange> _open = new();

    private sealed class RecordingSink : IMarketDataSink
    {
        public ConcurrentQueue<IMarketDataUpdate> Updates { get; } = new();
        public void Publish(IMarketDataUpdate update) => Updates.Enqueue(update);
    }

    private async Task<LocalExchange> StartAsync(int snapshotInterval = 10_000, IJournal? journal = null, IMarketDataSink? sink = null)
    {
        var exchange = new LocalExchange(journal ?? new SqliteJournal(new SqliteJournalOptions(_path)),
            [new InstrumentSpec("AAA"), new InstrumentSpec("BBB")], new SymbolActorSettings("test", snapshotInterval), sink);
        _open.Add(exchange);
        await exchange.StartAsync();
        return exchange;
    }

    private async Task RestartAsync(LocalExchange exchange)
    {
        await exchange.DisposeAsync();
        _open.Remove(exchange);
    }

    private static PlaceOrder Limit(string account, string id, Side side, long price, long qty, string symbol = "AAA") =>
        new(symbol, account, id, side, OrderType.Limit, price, qty, TimeInForce.Gtc, false);

    private static async Task<OrderReport> Report(LocalExchange x, IWithSymbol m) => Assert.IsType<OrderReport>(await x.AskAsync(m, Timeout));

    [Fact]
    public async Task Acknowledged_orders_and_trades_survive_a_restart()
    {
        var x = await StartAsync();
        await Report(x, Limit("S", "s1", Side.Sell, 100, 10));
        var buy = await Report(x, Limit("B", "b1", Side.Buy, 101, 4));
        Assert.Equal(OrderStatus.Filled, buy.Status);
        var book = (BookView)(await x.AskAsync(new GetBook("AAA", 10), Timeout))!;
        await RestartAsync(x);

        var y = await StartAsync();
        var sell = await Report(y, new GetOrder("AAA", "S", "s1"));
        Assert.Equal((OrderStatus.PartiallyFilled, 4L, 6L), (sell.Status, sell.FilledQuantity, sell.LeavesQuantity));
        Assert.Equal(buy, await Report(y, new GetOrder("AAA", "B", "b1")));
        Assert.Equal(book, (BookView)(await y.AskAsync(new GetBook("AAA", 10), Timeout))!);
        Assert.Single((IReadOnlyList<TradeExecuted>)(await y.AskAsync(new GetTrades("AAA", 10), Timeout))!);
    }

    [Fact]
    public async Task Resubmitting_a_clientOrderId_returns_the_original_order_also_after_a_restart()
    {
        var x = await StartAsync();
        var first = await Report(x, Limit("A", "c1", Side.Buy, 100, 10));
        var again = await Report(x, Limit("A", "c1", Side.Buy, 100, 10));
        Assert.Equal(first, again);
        Assert.Equal(1, await x.Journal.HighestSequenceNrAsync("AAA"));
        await RestartAsync(x);

        var y = await StartAsync();
        Assert.Equal(first, await Report(y, Limit("A", "c1", Side.Buy, 100, 10)));
        Assert.Equal(1, ((BookView)(await y.AskAsync(new GetBook("AAA", 10), Timeout))!).Bids.Single().Orders);
    }

    [Fact]
    public async Task Reusing_a_clientOrderId_for_a_different_order_is_refused_and_journals_nothing()
    {
        var x = await StartAsync();
        await Report(x, Limit("A", "c1", Side.Buy, 100, 10));
        var reply = Assert.IsType<CommandRejected>(await x.AskAsync(Limit("A", "c1", Side.Buy, 100, 11), Timeout));
        Assert.Equal(RejectReason.DuplicateClientOrderId, reply.Reason);
        Assert.Equal(1, await x.Journal.HighestSequenceNrAsync("AAA"));
    }

    [Fact]
    public async Task Cancel_and_amend_find_the_order_by_its_client_id()
    {
        var x = await StartAsync();
        await Report(x, Limit("A", "c1", Side.Buy, 100, 10));
        var amended = await Report(x, new AmendClientOrder("AAA", "A", "c1", 99, 8));
        Assert.Equal((99L, 8L), (amended.Price, amended.Quantity));
        var cancelled = await Report(x, new CancelClientOrder("AAA", "A", "c1"));
        Assert.Equal((OrderStatus.Cancelled, CancelReason.User), (cancelled.Status, cancelled.CancelReason));
        var before = await x.Journal.HighestSequenceNrAsync("AAA");
        var unknown = Assert.IsType<CommandRejected>(await x.AskAsync(new CancelClientOrder("AAA", "A", "c1"), Timeout));
        Assert.Equal(RejectReason.UnknownOrder, unknown.Reason);
        Assert.Equal(before, await x.Journal.HighestSequenceNrAsync("AAA"));
    }

    [Fact]
    public async Task Recovery_from_a_snapshot_plus_the_tail_equals_a_full_replay()
    {
        var x = await StartAsync(snapshotInterval: 25);
        var rng = new Random(7);
        var ids = new List<(string Account, string Id)>();
        for (var i = 0; i < 400; i++)
        {
            var account = $"A{rng.Next(4)}";
            IWithSymbol command = rng.Next(5) == 0 && ids.Count > 0
                ? ids[rng.Next(ids.Count)] is var (a, id) ? new CancelClientOrder("AAA", a, id) : throw new InvalidOperationException()
                : Limit(account, $"o{i}", rng.Next(2) == 0 ? Side.Buy : Side.Sell, 100 + rng.Next(-5, 6), rng.Next(1, 20));
            if (command is PlaceOrder p) ids.Add((p.Account, p.ClientOrderId));
            await x.AskAsync(command, Timeout);
        }
        await RestartAsync(x);
        var snapshotsBefore = RecoveryStats.SnapshotsLoaded;

        var y = await StartAsync(snapshotInterval: 25);
        Assert.True(RecoveryStats.SnapshotsLoaded > snapshotsBefore, "recovery did not use a snapshot");
        await using var journal = new SqliteJournal(new SqliteJournalOptions(_path));
        var replayed = new SymbolState(new InstrumentSpec("AAA"));
        await foreach (var e in journal.ReadAsync("AAA", 1)) replayed.Apply(BookEventCodec.Decode(e.EventType, e.EventVersion, e.Payload));
        Assert.Equal(replayed.View(1000), (BookView)(await y.AskAsync(new GetBook("AAA", 1000), Timeout))!);
        foreach (var (account, id) in ids)
            Assert.Equal(replayed.Registry.Find(new ClientOrderKey(account, id))?.ToReport(), await y.AskAsync(new GetOrder("AAA", account, id), Timeout));
    }

    [Fact]
    public async Task A_failed_commit_answers_unavailable_and_leaves_no_trace_of_the_order()
    {
        var journal = new FaultyJournal(new SqliteJournal(new SqliteJournalOptions(_path)));
        var x = await StartAsync(journal: journal);
        await Report(x, Limit("S", "s1", Side.Sell, 100, 10));
        journal.FailNextAppends(1);
        await Assert.ThrowsAsync<ActorUnavailableException>(() => x.AskAsync(Limit("B", "b1", Side.Buy, 100, 4), Timeout));
        // The actor recovered from the journal: the uncommitted trade is gone, the resting order untouched.
        Assert.Null(await x.AskAsync(new GetOrder("AAA", "B", "b1"), Timeout));
        Assert.Equal(0, (await Report(x, new GetOrder("AAA", "S", "s1"))).FilledQuantity);
        // A retry with the same clientOrderId goes through as a new order.
        var retried = await Report(x, Limit("B", "b1", Side.Buy, 100, 4));
        Assert.Equal((2L, OrderStatus.Filled), (retried.OrderId, retried.Status));
        Assert.Equal(3, await journal.HighestSequenceNrAsync("AAA"));
    }

    [Fact]
    public async Task Market_data_is_published_after_commit_with_chained_sequences()
    {
        var sink = new RecordingSink();
        var x = await StartAsync(sink: sink);
        await Report(x, Limit("S", "s1", Side.Sell, 100, 10));
        await Report(x, Limit("S", "s2", Side.Sell, 101, 10));
        await Report(x, Limit("B", "b1", Side.Buy, 101, 15));
        var updates = sink.Updates.Where(u => u.Symbol == "AAA").ToList();
        Assert.Equal(2, updates.OfType<TradeUpdate>().Count());
        for (var i = 1; i < updates.Count; i++) Assert.Equal(updates[i - 1].Sequence, updates[i].PreviousSequence);
        Assert.Equal(await x.Journal.HighestSequenceNrAsync("AAA"), updates[^1].Sequence);
        var last = Assert.IsType<BookUpdate>(updates[^1]);
        Assert.Equal(new BookLevel(101, 5, 1), last.Asks.Single());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var x in _open) await x.DisposeAsync();
    }
}
