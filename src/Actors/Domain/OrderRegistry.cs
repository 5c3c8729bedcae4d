using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>
/// Every order a symbol has seen, by (account, clientOrderId) and, while working, by order id. It is part of
/// the journaled state (rebuilt from the same events as the book), which is what makes order entry idempotent
/// across restarts: a resubmitted clientOrderId finds its original order instead of creating a second one.
/// Working orders are always kept; of the finished ones (filled, cancelled, rejected) the most recent
/// <see cref="RetainedDoneOrders"/> are kept, the oldest forgotten first. Which are kept follows from the events
/// alone, so a replay forgets the same ones.
/// </summary>
public sealed class OrderRegistry(int retainedDoneOrders = OrderRegistry.DefaultRetainedDoneOrders)
{
    public const int DefaultRetainedDoneOrders = 50_000;
    private readonly Dictionary<ClientOrderKey, OrderRecord> _byClient = new();
    private readonly Dictionary<long, OrderRecord> _working = new();
    private readonly Queue<ClientOrderKey> _done = new();

    public int Count => _byClient.Count;
    public int RetainedDoneOrders { get; } = retainedDoneOrders > 0 ? retainedDoneOrders : throw new ArgumentOutOfRangeException(nameof(retainedDoneOrders));

    /// <summary>Finished orders in the order they finished, then working orders by id: the snapshot order.</summary>
    public IEnumerable<OrderRecord> SnapshotOrder =>
        _done.Select(k => _byClient[k]).Concat(_working.Values.OrderBy(r => r.OrderId));

    public OrderRecord? Find(ClientOrderKey key) => _byClient.GetValueOrDefault(key);

    public OrderRecord? FindWorking(long orderId) => _working.GetValueOrDefault(orderId);


    /// <summary>Folds one event in; <paramref name="sequence"/> is its symbol sequence number, the new version of every order it changes.</summary>
    internal void Apply(IBookEvent e, long sequence)
    {
        switch (e)
        {
            case OrderAccepted a:
                var record = new OrderRecord
                {
                    Symbol = a.Symbol, OrderId = a.OrderId, Account = a.Account, ClientOrderId = a.ClientOrderId, Side = a.Side,
                    Type = a.Type, Price = a.Price, Quantity = a.Quantity, OriginalPrice = a.Price, OriginalQuantity = a.Quantity, TimeInForce = a.TimeInForce, PostOnly = a.PostOnly,
                    Status = OrderStatus.New, Timestamp = a.Timestamp, Version = sequence,
                };
                if (!_byClient.TryAdd(new ClientOrderKey(a.Account, a.ClientOrderId), record))
                    throw new InvalidEventException($"{a.Symbol}: clientOrderId {a.Account}/{a.ClientOrderId} accepted twice");
                _working.Add(a.OrderId, record);
                break;
            case OrderRejected { OrderId: 0 } r:
                // A refused new order is remembered so that its resubmission gets the same answer.
                var key = new ClientOrderKey(r.Account, r.ClientOrderId);
                if (_byClient.TryAdd(key, new OrderRecord
                {
                    Symbol = r.Symbol, OrderId = 0, Account = r.Account, ClientOrderId = r.ClientOrderId, Side = default,
                    Type = default, TimeInForce = default, PostOnly = false, Status = OrderStatus.Rejected,
                    RejectReason = r.Reason, Timestamp = r.Timestamp, Version = sequence,
                }))
                {
                    Finished(key);
                }
                break;
            case TradeExecuted t:
                Fill(t.MakerOrderId, t, sequence);
                Fill(t.TakerOrderId, t, sequence);
                break;
            case OrderCancelled c:
                var cancelled = Working(c.OrderId);
                cancelled.Cancelled += c.CancelledQuantity;
                cancelled.Status = OrderStatus.Cancelled;
                cancelled.CancelReason = c.Reason;
                cancelled.Version = sequence;
                _working.Remove(c.OrderId);
                Finished(new ClientOrderKey(cancelled.Account, cancelled.ClientOrderId));
                break;
            case OrderAmended m:
                var amended = Working(m.OrderId);
                amended.Price = m.Price;
                amended.Quantity = m.Quantity;
                amended.Version = sequence;
                break;
        }
    }

    /// <summary>Adds a record restored from a snapshot; records must come in <see cref="SnapshotOrder"/>.</summary>
    internal void Restore(OrderRecord record)
    {
        var key = new ClientOrderKey(record.Account, record.ClientOrderId);
        _byClient.Add(key, record);
        if (record.Status is OrderStatus.New or OrderStatus.PartiallyFilled) _working.Add(record.OrderId, record);
        else Finished(key);
    }

    private void Finished(ClientOrderKey key)
    {
        _done.Enqueue(key);
        while (_done.Count > RetainedDoneOrders) _byClient.Remove(_done.Dequeue());
    }

    private void Fill(long orderId, TradeExecuted t, long sequence)
    {
        var o = Working(orderId);
        o.Version = sequence;
        o.Filled += t.Quantity;
        o.Fills.Add(new OrderFill(t.TradeId, t.Price, t.Quantity));
        if (o.Filled == o.Quantity)
        {
            o.Status = OrderStatus.Filled;
            _working.Remove(orderId);
            Finished(new ClientOrderKey(o.Account, o.ClientOrderId));
        }
        else
        {
            o.Status = OrderStatus.PartiallyFilled;
        }
    }

    private OrderRecord Working(long orderId) =>
        _working.GetValueOrDefault(orderId) ?? throw new InvalidEventException($"event for order {orderId} that is not working");
}
