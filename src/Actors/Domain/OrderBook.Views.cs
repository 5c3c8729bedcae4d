using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

public sealed partial class OrderBook
{
    /// <summary>Best bid and best offer with their aggregated quantity and order count.</summary>
    public BestBidOffer BestBidOffer() => new(Top(Bids), Top(Asks));

    private static DepthLevel? Top(BookSide side) =>
        side.Best is { } l ? new DepthLevel(l.Price, l.TotalQuantity, l.Count) : null;

    /// <summary>Fills <paramref name="into"/> with up to its length of levels from the best; returns how many.</summary>
    public int Depth(Side side, Span<DepthLevel> into)
    {
        var s = SideOf(side);
        var n = Math.Min(into.Length, s.Count);
        for (var i = 0; i < n; i++)
        {
            var l = s.LevelFromBest(i);
            into[i] = new DepthLevel(l.Price, l.TotalQuantity, l.Count);
        }
        return n;
    }

    /// <summary>Up to <paramref name="levels"/> aggregated levels of a side, best first.</summary>
    public IReadOnlyList<DepthLevel> Depth(Side side, int levels)
    {
        var buffer = new DepthLevel[Math.Max(0, Math.Min(levels, SideOf(side).Count))];
        Depth(side, buffer);
        return buffer;
    }

    /// <summary>Number of price levels on a side.</summary>
    public int LevelCount(Side side) => SideOf(side).Count;

    /// <summary>The resting orders of a side in priority order: best price first, then time.</summary>
    public IReadOnlyList<RestingOrderState> Orders(Side side)
    {
        var s = SideOf(side);
        var list = new List<RestingOrderState>();
        for (var i = 0; i < s.Count; i++)
            for (var o = s.LevelFromBest(i).Head; o is not null; o = o.Next)
                list.Add(Copy(o));
        return list;
    }

    /// <summary>The whole state; see <see cref="OrderBookSnapshot"/>.</summary>
    public OrderBookSnapshot Snapshot() =>
        new(Symbol, Sequence, LastOrderId, LastTradeId, PrioritySequence, LastTrade, Orders(Side.Buy), Orders(Side.Sell));

    /// <summary>Rebuilds a book from a snapshot of the same symbol.</summary>
    public static OrderBook Restore(InstrumentSpec spec, OrderBookSnapshot snapshot)
    {
        if (snapshot.Symbol != spec.Symbol)
            throw new InvalidEventException($"snapshot of {snapshot.Symbol} restored into {spec.Symbol}");
        var book = new OrderBook(spec)
        {
            Sequence = snapshot.Sequence,
            LastOrderId = snapshot.LastOrderId,
            LastTradeId = snapshot.LastTradeId,
            PrioritySequence = snapshot.PrioritySequence,
            LastTrade = snapshot.LastTrade,
        };
        foreach (var s in snapshot.Bids.Concat(snapshot.Asks))
        {
            var o = new BookOrder
            {
                OrderId = s.OrderId,
                Account = s.Account,
                ClientOrderId = s.ClientOrderId,
                Side = s.Side,
                Type = OrderType.Limit,
                TimeInForce = TimeInForce.Gtc,
                PostOnly = s.PostOnly,
                Price = s.Price,
                Quantity = s.Quantity,
                Filled = s.Filled,
                Timestamp = s.Timestamp,
                PrioritySequence = s.PrioritySequence,
            };
            book._orders.Add(o.OrderId, o);
            book.SideOf(o.Side).Add(o);
        }
        return book;
    }
}
