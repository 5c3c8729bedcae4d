using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

public sealed partial class OrderBook
{
    /// <summary>
    /// Applies one event in place. Throws <see cref="InvalidEventException"/> when the event does not fit
    /// (wrong symbol, an id out of sequence, an unknown order, an overfill): a journal that disagrees with
    /// the state is an error, never silently skipped.
    /// </summary>
    internal void Apply(IBookEvent e)
    {
        if (!ReferenceEquals(e.Symbol, Symbol) && e.Symbol != Symbol)
            throw new InvalidEventException($"event for {e.Symbol} applied to book {Symbol}");
        switch (e)
        {
            case TradeExecuted t: ApplyTrade(t); break;
            case OrderAccepted a: ApplyAccepted(a); break;
            case OrderCancelled c: ApplyCancelled(c); break;
            case OrderAmended m: ApplyAmended(m); break;
            case OrderRejected: break;
            default: throw new InvalidEventException($"unknown book event {e.GetType().Name}");
        }
        Sequence++;
    }

    private void ApplyAccepted(OrderAccepted a)
    {
        if (a.OrderId != LastOrderId + 1)
            throw new InvalidEventException($"{Symbol}: order id {a.OrderId} out of sequence after {LastOrderId}");
        var o = _freeOrders.Count > 0 ? _freeOrders.Pop() : new BookOrder();
        o.OrderId = a.OrderId;
        o.Account = a.Account;
        o.ClientOrderId = a.ClientOrderId;
        o.Side = a.Side;
        o.Type = a.Type;
        o.TimeInForce = a.TimeInForce;
        o.PostOnly = a.PostOnly;
        o.Price = a.Price;
        o.Quantity = a.Quantity;
        o.Timestamp = a.Timestamp;
        _orders.Add(o.OrderId, o);
        LastOrderId = a.OrderId;
        // A good-till-cancelled limit order joins its level at once (at the back, being the newest); the trades
        // that follow in the same command fill it by id, and a done order leaves again. Immediate orders never
        // rest: they stay off the levels until their trades or their cancel finish them.
        if (o.Type == OrderType.Limit && o.TimeInForce == TimeInForce.Gtc)
        {
            o.PrioritySequence = ++PrioritySequence;
            SideOf(o.Side).Add(o);
        }
    }

    private void ApplyTrade(TradeExecuted t)
    {
        if (t.TradeId != LastTradeId + 1)
            throw new InvalidEventException($"{Symbol}: trade id {t.TradeId} out of sequence after {LastTradeId}");
        var maker = Find(t.MakerOrderId) ?? throw new InvalidEventException($"{Symbol}: trade {t.TradeId} names unknown maker {t.MakerOrderId}");
        var taker = Find(t.TakerOrderId) ?? throw new InvalidEventException($"{Symbol}: trade {t.TradeId} names unknown taker {t.TakerOrderId}");
        if (t.Quantity <= 0 || t.Quantity > maker.Leaves || t.Quantity > taker.Leaves)
            throw new InvalidEventException($"{Symbol}: trade {t.TradeId} of {t.Quantity} overfills its orders");
        Fill(maker, t.Quantity);
        Fill(taker, t.Quantity);
        LastTradeId = t.TradeId;
        LastTrade = t;
    }

    private void Fill(BookOrder o, long quantity)
    {
        var leaves = o.Leaves;
        o.Filled += quantity;
        if (o.Level is { } level)
        {
            if (leaves == quantity) SideOf(o.Side).Remove(o, leaves);
            else level.TotalQuantity -= quantity;
        }
        if (leaves == quantity) Release(o);
    }

    private void ApplyCancelled(OrderCancelled c)
    {
        var o = Find(c.OrderId) ?? throw new InvalidEventException($"{Symbol}: cancel of unknown order {c.OrderId}");
        var leaves = o.Leaves;
        if (c.CancelledQuantity != leaves)
            throw new InvalidEventException($"{Symbol}: cancel of {c.CancelledQuantity} but order {c.OrderId} has {leaves} leaves");
        o.Cancelled += leaves;
        if (o.Level is not null) SideOf(o.Side).Remove(o, leaves);
        Release(o);
    }

    private void ApplyAmended(OrderAmended m)
    {
        var o = Find(m.OrderId) ?? throw new InvalidEventException($"{Symbol}: amend of unknown order {m.OrderId}");
        if (o.Level is null || m.Quantity <= o.Filled)
            throw new InvalidEventException($"{Symbol}: amend of order {m.OrderId} that cannot be amended so");
        var side = SideOf(o.Side);
        if (m.KeptPriority)
        {
            if (m.Price != o.Price || m.Quantity > o.Quantity)
                throw new InvalidEventException($"{Symbol}: amend of order {m.OrderId} claims priority it cannot keep");
            o.Level.TotalQuantity -= o.Quantity - m.Quantity;
            o.Quantity = m.Quantity;
            return;
        }
        side.Remove(o, o.Leaves);
        o.Price = m.Price;
        o.Quantity = m.Quantity;
        o.PrioritySequence = ++PrioritySequence;
        side.Add(o);
    }

    private void Release(BookOrder o)
    {
        _orders.Remove(o.OrderId);
        o.Reset();
        _freeOrders.Push(o);
    }
}
