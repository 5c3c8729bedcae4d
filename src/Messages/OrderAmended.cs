namespace AkkaExchange.Messages;

/// <summary>
/// A resting order now has <paramref name="Price"/> and total <paramref name="Quantity"/>.
/// When <paramref name="KeptPriority"/> is false it moved to the back of its price level.
/// </summary>
public sealed record OrderAmended(
    string Symbol,
    long OrderId,
    long Price,
    long Quantity,
    bool KeptPriority,
    long Timestamp) : IBookEvent;
