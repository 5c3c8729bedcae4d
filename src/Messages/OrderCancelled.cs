namespace AkkaExchange.Messages;

/// <summary>The remaining quantity of an order was cancelled; the order is done.</summary>
public sealed record OrderCancelled(
    string Symbol,
    long OrderId,
    long CancelledQuantity,
    CancelReason Reason,
    long Timestamp) : IBookEvent;
