namespace AkkaExchange.Messages;

/// <summary>
/// Change a resting limit order. <paramref name="Quantity"/> is the new total quantity (filled included,
/// as FIX's OrderQty on a replace). Reducing quantity keeps time priority; a price change or a quantity
/// increase loses it. A price change that crosses the book trades as an incoming order.
/// </summary>
public sealed record AmendOrder(string Symbol, string Account, long OrderId, long? Price, long? Quantity) : IBookCommand;
