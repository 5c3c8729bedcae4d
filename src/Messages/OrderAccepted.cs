namespace AkkaExchange.Messages;

/// <summary>An order entered the book's processing with the id the book gave it.</summary>
public sealed record OrderAccepted(
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
    long Timestamp) : IBookEvent;
