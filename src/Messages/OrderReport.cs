namespace AkkaExchange.Messages;

/// <summary>
/// The state of one order as of a committed point of its symbol's journal: sent as the reply to every order
/// command and query. <paramref name="OrderId"/> is 0 for a rejected new order. Prices are ticks.
/// </summary>
public sealed record OrderReport(
    string Symbol,
    long OrderId,
    string Account,
    string ClientOrderId,
    Side Side,
    OrderType Type,
    long Price,
    long Quantity,
    TimeInForce TimeInForce,
    bool PostOnly,
    OrderStatus Status,
    long FilledQuantity,
    long LeavesQuantity,
    IReadOnlyList<OrderFill> Fills,
    RejectReason? RejectReason,
    CancelReason? CancelReason,
    long Timestamp,
    long OriginalPrice,
    long OriginalQuantity)
{
    /// <summary>Equal when every field and every fill is equal.</summary>
    public bool Equals(OrderReport? other) =>
        other is not null
        && (Symbol, OrderId, Account, ClientOrderId, Side, Type, Price, Quantity, TimeInForce, PostOnly, Status)
            == (other.Symbol, other.OrderId, other.Account, other.ClientOrderId, other.Side, other.Type, other.Price, other.Quantity,
                other.TimeInForce, other.PostOnly, other.Status)
        && (FilledQuantity, LeavesQuantity, RejectReason, CancelReason, Timestamp, OriginalPrice, OriginalQuantity)
            == (other.FilledQuantity, other.LeavesQuantity, other.RejectReason, other.CancelReason, other.Timestamp, other.OriginalPrice,
                other.OriginalQuantity)
        && Fills.SequenceEqual(other.Fills);

    public override int GetHashCode() => HashCode.Combine(Symbol, OrderId, Account, ClientOrderId, Status, FilledQuantity);
}
