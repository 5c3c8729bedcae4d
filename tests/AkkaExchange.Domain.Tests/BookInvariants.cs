using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Domain.Tests;

/// <summary>Structural invariants of a book between commands, checked without copying it.</summary>
internal static class BookInvariants
{
    public static void Check(OrderBook book)
    {
        var count = CheckSide(book.Bids) + CheckSide(book.Asks);
        if (count != book.OrderCount) Assert.Fail($"{book.OrderCount} orders known but {count} rest on levels");
        if (book.Bids.Best is { } bid && book.Asks.Best is { } ask && bid.Price >= ask.Price)
            Assert.Fail($"book crossed: bid {bid.Price} >= ask {ask.Price}");
    }

    private static int CheckSide(BookSide side)
    {
        var total = 0;
        long? previousPrice = null;
        for (var i = 0; i < side.Count; i++)
        {
            var level = side.LevelFromBest(i);
            if (previousPrice is { } p && (side.Side == Side.Buy ? level.Price >= p : level.Price <= p))
                Assert.Fail($"{side.Side} levels out of price order at {level.Price}");
            previousPrice = level.Price;
            long sum = 0;
            var n = 0;
            long lastPriority = 0;
            for (var o = level.Head; o is not null; o = o.Next)
            {
                if (o.Leaves <= 0) Assert.Fail($"order {o.OrderId} rests with {o.Leaves} leaves");
                if (o.Filled + o.Leaves + o.Cancelled != o.Quantity) Assert.Fail($"order {o.OrderId} quantities do not add up");
                if (o.Price != level.Price || o.Side != side.Side) Assert.Fail($"order {o.OrderId} on the wrong level");
                if (o.PrioritySequence <= lastPriority) Assert.Fail($"time priority broken at order {o.OrderId}");
                lastPriority = o.PrioritySequence;
                sum += o.Leaves;
                n++;
            }
            if (n == 0 || n != level.Count || sum != level.TotalQuantity)
                Assert.Fail($"level {level.Price} aggregates wrong: count {level.Count}/{n}, quantity {level.TotalQuantity}/{sum}");
            total += n;
        }
        return total;
    }
}
