namespace AkkaExchange.Messages;

/// <summary>Enter a new order.</summary>
/// <param name="Price">Limit price in integer ticks of the symbol; ignored (0) for market orders.</param>
/// <param name="Quantity">Total quantity in shares.</param>
public sealed record PlaceOrder(
    string Symbol,
    string Account,
    string ClientOrderId,
    Side Side,
    OrderType Type,
    long Price,
    long Quantity,
    TimeInForce TimeInForce,
    bool PostOnly) : IBookCommand;
