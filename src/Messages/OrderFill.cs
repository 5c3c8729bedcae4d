namespace AkkaExchange.Messages;

/// <summary>One execution of an order: trade id (unique within the symbol), price in ticks, quantity.</summary>
public readonly record struct OrderFill(long TradeId, long Price, long Quantity);
