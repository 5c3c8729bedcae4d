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
    long OriginalQuantity);
