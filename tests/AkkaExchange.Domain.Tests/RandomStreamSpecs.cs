using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Domain.Tests;

/// <summary>
/// One million seeded operations (10 seeds x 100,000): every command's events must equal the reference
/// book's, the invariants must hold after every step, and the book rebuilt from the events must equal the
/// live book (event-sourcing property), also when rebuilt from a mid-stream snapshot plus the tail.
/// </summary>
public sealed class RandomStreamSpecs
{
    private const int OperationsPerSeed = 100_000;

    public static TheoryData<int> Seeds() => new(Enumerable.Range(1, 10));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Engine_matches_the_reference_book_and_keeps_its_invariants(int seed)
    {
        var spec = new InstrumentSpec("RND");
        var book = new OrderBook(spec);
        var reference = new ReferenceBook(spec);
        var stream = new RandomOrderStream(seed, spec.Symbol);
        var ledger = new OrderLedger();
        var journal = new List<IBookEvent>(OperationsPerSeed * 2);
        var output = new List<IBookEvent>();
        OrderBookSnapshot? midSnapshot = null;
        var midCut = 0;
        long trades = 0, selfTradeCancels = 0, rejections = 0;

        for (var step = 1; step <= OperationsPerSeed; step++)
        {
            var command = stream.Next();
            output.Clear();
            OrderBookLogic.Decide(book, command, step, output);
            var expected = reference.Process(command, step);
            if (!expected.SequenceEqual(output))
                Assert.Fail($"seed {seed} step {step}: {command}\n engine:    {string.Join(" | ", output)}\n reference: {string.Join(" | ", expected)}");
            OrderBookLogic.Apply(book, output);
            journal.AddRange(output);
            stream.Observe(output);
            ledger.Record(output);
            BookInvariants.Check(book);
            ledger.Check(book, output);
            trades += output.Count(e => e is TradeExecuted);
            selfTradeCancels += output.Count(e => e is OrderCancelled { Reason: CancelReason.SelfTrade });
            rejections += output.Count(e => e is OrderRejected);
            if (step == OperationsPerSeed / 2)
            {
                midSnapshot = book.Snapshot();
                midCut = journal.Count;
            }
            if (step % 10_000 == 0) Assert.Equal(reference.Snapshot(), book.Snapshot());
        }

        Assert.Equal(reference.Snapshot(), book.Snapshot());
        var replayed = OrderBookLogic.Apply(new OrderBook(spec), journal);
        Assert.Equal(book.Snapshot(), replayed.Snapshot());
        var fromSnapshot = OrderBookLogic.Apply(OrderBook.Restore(spec, midSnapshot!), journal.Skip(midCut).ToList());
        Assert.Equal(book.Snapshot(), fromSnapshot.Snapshot());
        // The stream must really exercise the rules it claims to test.
        Assert.True(trades > OperationsPerSeed / 10, $"only {trades} trades");
        Assert.True(selfTradeCancels > 100, $"only {selfTradeCancels} self-trade cancels");
        Assert.True(rejections > 1_000, $"only {rejections} rejections");
        Assert.True(book.OrderCount > 10, "book emptied out");
        Assert.True(book.OrderCount < 2_000, $"book grew to {book.OrderCount} orders");
    }
}
