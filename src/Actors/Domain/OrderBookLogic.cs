using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>
/// The matching rules as two pure functions. <c>Decide</c> reads the book and a command and returns the
/// events the command causes, without changing the book; <c>Apply</c> folds one event into the book.
/// Deciding a command and applying its events in order is the only way a book changes, so replaying the
/// events of any command stream rebuilds the same book. Time comes in as a parameter; order and trade ids
/// are the book's own counters, so the same stream always yields the same ids.
/// </summary>
public static class OrderBookLogic
{
    /// <summary>Decides a command, appending its events to <paramref name="output"/> (which it does not clear).</summary>
    /// <param name="timestamp">Unix microseconds stamped on every event.</param>
    public static void Decide(OrderBook book, IBookCommand command, long timestamp, List<IBookEvent> output)
    {
        switch (command)
        {
            case PlaceOrder p: DecidePlace(book, p, timestamp, output); break;
            case CancelOrder c: DecideCancel(book, c, timestamp, output); break;
            case AmendOrder a: DecideAmend(book, a, timestamp, output); break;
            default: throw new ArgumentException($"unknown book command {command.GetType().Name}", nameof(command));
        }
    }

    /// <summary>Decides a command and returns its events.</summary>
    public static IReadOnlyList<IBookEvent> Decide(OrderBook book, IBookCommand command, long timestamp)
    {
        var output = new List<IBookEvent>(4);
        Decide(book, command, timestamp, output);
        return output;
    }

    /// <summary>Applies one event to the book in place and returns the book.</summary>
    public static OrderBook Apply(OrderBook book, IBookEvent e)
    {
        book.Apply(e);
        return book;
    }

    /// <summary>Applies events in order.</summary>
    public static OrderBook Apply(OrderBook book, IReadOnlyList<IBookEvent> events)
    {
        for (var i = 0; i < events.Count; i++) book.Apply(events[i]);
        return book;
    }

    private static void DecidePlace(OrderBook book, PlaceOrder p, long ts, List<IBookEvent> output)
    {
        if (Validate(book, p) is { } reason)
        {
            output.Add(new OrderRejected(book.Symbol, p.Account, p.ClientOrderId, 0, reason, ts));
            return;
        }
        var orderId = book.LastOrderId + 1;
        var market = p.Type == OrderType.Market;
        var limit = market ? (p.Side == Side.Buy ? long.MaxValue : long.MinValue) : p.Price;
        if (p.PostOnly && Crosses(book, p.Side, limit))
        {
            output.Add(new OrderRejected(book.Symbol, p.Account, p.ClientOrderId, 0, RejectReason.PostOnlyWouldTakeLiquidity, ts));
            return;
        }
        output.Add(new OrderAccepted(book.Symbol, orderId, p.Account, p.ClientOrderId, p.Side, p.Type,
            market ? 0 : p.Price, p.Quantity, p.TimeInForce, p.PostOnly, ts));
        if (p.TimeInForce == TimeInForce.Fok && Fillable(book, p.Side, limit, p.Account, p.Quantity) < p.Quantity)
        {
            output.Add(new OrderCancelled(book.Symbol, orderId, p.Quantity, CancelReason.FokUnfillable, ts));
            return;
        }
        var (remaining, selfTrade) = Match(book, p.Side, limit, orderId, p.Account, p.Quantity, book.LastTradeId, ts, output);
        if (remaining == 0) return;
        if (selfTrade)
            output.Add(new OrderCancelled(book.Symbol, orderId, remaining, CancelReason.SelfTrade, ts));
        else if (market)
            output.Add(new OrderCancelled(book.Symbol, orderId, remaining, CancelReason.MarketRemainder, ts));
        else if (p.TimeInForce != TimeInForce.Gtc)
            output.Add(new OrderCancelled(book.Symbol, orderId, remaining, CancelReason.IocRemainder, ts));
        // A good-till-cancelled remainder rests: OrderAccepted already placed it.
    }

    private static RejectReason? Validate(OrderBook book, PlaceOrder p)
    {
        if (p.Side is not (Side.Buy or Side.Sell)) return RejectReason.InvalidSide;
        if (p.Type is not (OrderType.Limit or OrderType.Market)) return RejectReason.InvalidOrderType;
        if (p.TimeInForce is not (TimeInForce.Gtc or TimeInForce.Ioc or TimeInForce.Fok)) return RejectReason.InvalidTimeInForce;
        if (book.Spec.CheckQuantity(p.Quantity) is { } q) return q;
        if (p.Type == OrderType.Market)
        {
            if (p.PostOnly) return RejectReason.MarketOrderCannotBePostOnly;
            if (p.TimeInForce == TimeInForce.Gtc) return RejectReason.MarketOrderMustBeImmediate;
        }
        else if (!book.Spec.IsValidPrice(p.Price))
        {
            return RejectReason.InvalidPrice;
        }
        return null;
    }

    private static void DecideCancel(OrderBook book, CancelOrder c, long ts, List<IBookEvent> output)
    {
        var o = book.Find(c.OrderId);
        if (o is null || o.Account != c.Account)
        {
            output.Add(new OrderRejected(book.Symbol, c.Account, o?.ClientOrderId ?? "", c.OrderId,
                o is null ? RejectReason.UnknownOrder : RejectReason.NotOrderOwner, ts));
            return;
        }
        output.Add(new OrderCancelled(book.Symbol, o.OrderId, o.Leaves, CancelReason.User, ts));
    }

    private static void DecideAmend(OrderBook book, AmendOrder a, long ts, List<IBookEvent> output)
    {
        var o = book.Find(a.OrderId);
        var reason = o is null ? RejectReason.UnknownOrder
            : o.Account != a.Account ? RejectReason.NotOrderOwner
            : (RejectReason?)null;
        var price = a.Price ?? o?.Price ?? 0;
        var quantity = a.Quantity ?? o?.Quantity ?? 0;
        if (reason is null && o!.Level is null) reason = RejectReason.OrderNotAmendable;
        if (reason is null && !book.Spec.IsValidPrice(price)) reason = RejectReason.InvalidPrice;
        if (reason is null && book.Spec.CheckQuantity(quantity) is { } q) reason = q;
        if (reason is null && quantity <= o!.Filled) reason = RejectReason.QuantityNotAboveFilled;
        if (reason is null && price == o!.Price && quantity == o.Quantity) reason = RejectReason.NothingToAmend;
        var repriced = reason is null && price != o!.Price;
        if (repriced && o!.PostOnly && Crosses(book, o.Side, price)) reason = RejectReason.PostOnlyWouldTakeLiquidity;
        if (reason is { } r)
        {
            output.Add(new OrderRejected(book.Symbol, a.Account, o?.ClientOrderId ?? "", a.OrderId, r, ts));
            return;
        }
        var keep = !repriced && quantity < o!.Quantity;
        output.Add(new OrderAmended(book.Symbol, o!.OrderId, price, quantity, keep, ts));
        if (!repriced || !Crosses(book, o.Side, price)) return;
        // A re-priced order that now crosses trades like an incoming order for its remaining quantity.
        var (remaining, selfTrade) = Match(book, o.Side, price, o.OrderId, o.Account, quantity - o.Filled, book.LastTradeId, ts, output);
        if (remaining > 0 && selfTrade)
            output.Add(new OrderCancelled(book.Symbol, o.OrderId, remaining, CancelReason.SelfTrade, ts));
    }

    private static bool Crosses(OrderBook book, Side side, long limit) =>
        book.Opposite(side).Best is { } best && Reaches(side, limit, best.Price);

    /// <summary>True when an order of <paramref name="side"/> with <paramref name="limit"/> may trade at <paramref name="price"/>.</summary>
    private static bool Reaches(Side side, long limit, long price) => side == Side.Buy ? price <= limit : price >= limit;

    /// <summary>How much an order could fill now before it runs out of reachable liquidity or meets its own account.</summary>
    private static long Fillable(OrderBook book, Side side, long limit, string account, long wanted)
    {
        var opposite = book.Opposite(side);
        long total = 0;
        for (var i = 0; i < opposite.Count && total < wanted; i++)
        {
            var level = opposite.LevelFromBest(i);
            if (!Reaches(side, limit, level.Price)) break;
            for (var o = level.Head; o is not null && total < wanted; o = o.Next)
            {
                if (string.Equals(o.Account, account, StringComparison.Ordinal)) return total;
                total += o.Leaves;
            }
        }
        return total;
    }

    /// <summary>
    /// Walks the opposite side in priority order and emits trades at the resting prices, without changing the
    /// book. Stops when the quantity is filled, the limit is passed, or a resting order of the same account is
    /// next (self-trade prevention: the incoming remainder is then cancelled by the caller).
    /// </summary>
    private static (long Remaining, bool SelfTrade) Match(OrderBook book, Side side, long limit, long takerId,
        string account, long quantity, long lastTradeId, long ts, List<IBookEvent> output)
    {
        var opposite = book.Opposite(side);
        var remaining = quantity;
        for (var i = 0; i < opposite.Count; i++)
        {
            var level = opposite.LevelFromBest(i);
            if (!Reaches(side, limit, level.Price)) break;
            for (var o = level.Head; o is not null; o = o.Next)
            {
                if (string.Equals(o.Account, account, StringComparison.Ordinal)) return (remaining, true);
                var fill = Math.Min(remaining, o.Leaves);
                output.Add(new TradeExecuted(book.Symbol, ++lastTradeId, level.Price, fill, side,
                    o.OrderId, o.Account, takerId, account, ts));
                remaining -= fill;
                if (remaining == 0) return (0, false);
            }
        }
        return (remaining, false);
    }
}
