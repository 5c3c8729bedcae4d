namespace AkkaExchange.Messages;

/// <summary>
/// The state of one order as of a committed point of its symbol's journal: sent as the reply to every order
/// command and query. <paramref name="OrderId"/> is 0 for a rejected new order. Prices are ticks.
/// <paramref name="Version"/> is the symbol's journal sequence number of the last event that changed this order: of two
/// reports of one order, the one with the higher version is newer (replies to pipelined commands arrive in completion
/// order, not request order); equal versions describe the same state.
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
    long OriginalQuantity,
    long Version)
{
    /// <summary>Equal when every field and every fill is equal.</summary>
    public bool Equals(OrderReport? other) =>
        other is not null
        && (Symbol, OrderId, Account, ClientOrderId, Side, Type, Price, Quantity, TimeInForce, PostOnly, Status)
            == (other.Symbol, other.OrderId, other.Account, other.ClientOrderId, other.Side, other.Type, other.Price, other.Quantity,
                other.TimeInForce, other.PostOnly, other.Status)
        && (FilledQuantity, LeavesQuantity, RejectReason, CancelReason, Timestamp, OriginalPrice, OriginalQuantity, Version)
            == (other.FilledQuantity, other.LeavesQuantity, other.RejectReason, other.CancelReason, other.Timestamp, other.OriginalPrice,
                other.OriginalQuantity, other.Version)
        && Fills.SequenceEqual(other.Fills);

    public override int GetHashCode() => HashCode.Combine(Symbol, OrderId, Account, ClientOrderId, Status, FilledQuantity);
}
