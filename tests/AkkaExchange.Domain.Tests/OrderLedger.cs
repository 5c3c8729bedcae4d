using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Domain.Tests;

/// <summary>
/// Follows every order through the events alone and checks, for each order an event touched,
/// that filled + leaves + cancelled = quantity, and that no trade is between one account and itself.
/// </summary>
internal sealed class OrderLedger
{
    private sealed class Entry
    {
        public long Quantity, Filled, Cancelled;
        public bool Done;
    }

    private readonly Dictionary<long, Entry> _orders = new();

    public void Record(IEnumerable<IBookEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case OrderAccepted a:
                    _orders.Add(a.OrderId, new Entry { Quantity = a.Quantity });
                    break;
                case TradeExecuted t:
                    if (t.MakerAccount == t.TakerAccount) Assert.Fail($"trade {t.TradeId} between {t.MakerAccount} and itself");
                    Live(t.MakerOrderId).Filled += t.Quantity;
                    Live(t.TakerOrderId).Filled += t.Quantity;
                    break;
                case OrderCancelled c:
                    var entry = Live(c.OrderId);
                    entry.Cancelled += c.CancelledQuantity;
                    entry.Done = true;
                    break;
                case OrderAmended m:
                    Live(m.OrderId).Quantity = m.Quantity;
                    break;
            }
        }
    }

    public void Check(OrderBook book, IEnumerable<IBookEvent> touched)
    {
        foreach (var e in touched)
        {
            switch (e)
            {
                case OrderAccepted a: CheckOrder(book, a.OrderId); break;
                case TradeExecuted t: CheckOrder(book, t.MakerOrderId); CheckOrder(book, t.TakerOrderId); break;
                case OrderCancelled c: CheckOrder(book, c.OrderId); break;
                case OrderAmended m: CheckOrder(book, m.OrderId); break;
            }
        }
    }

    private Entry Live(long id)
    {
        var entry = _orders[id];
        if (entry.Done) Assert.Fail($"event for order {id} after it was cancelled");
        return entry;
    }

    private void CheckOrder(OrderBook book, long id)
    {
        var entry = _orders[id];
        var resting = book.GetOrder(id);
        var leaves = resting?.Leaves ?? 0;
        if (entry.Filled + leaves + entry.Cancelled != entry.Quantity)
            Assert.Fail($"order {id}: filled {entry.Filled} + leaves {leaves} + cancelled {entry.Cancelled} != {entry.Quantity}");
        if (resting is not null && resting.Filled != entry.Filled) Assert.Fail($"order {id}: book says filled {resting.Filled}, events say {entry.Filled}");
        if (resting is null) entry.Done = true;
    }
}
