namespace AkkaExchange.Messages;

/// <summary>
/// A command was refused and changed nothing. <paramref name="OrderId"/> is 0 for a refused new order,
/// else the order a cancel or amend named.
/// </summary>
public sealed record OrderRejected(
    string Symbol,
    string Account,
    string ClientOrderId,
    long OrderId,
    RejectReason Reason,
    long Timestamp) : IBookEvent;
