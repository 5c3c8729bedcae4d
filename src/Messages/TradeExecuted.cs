namespace AkkaExchange.Messages;

/// <summary>
/// Two orders traded. The price is always the resting (maker) order's price. <paramref name="TradeId"/> is
/// unique and increasing within the symbol; (Symbol, TradeId) is unique in the exchange.
/// </summary>
public sealed record TradeExecuted(
    string Symbol,
    long TradeId,
    long Price,
    long Quantity,
    Side AggressorSide,
    long MakerOrderId,
    string MakerAccount,
    long TakerOrderId,
    string TakerAccount,
    long Timestamp) : IBookEvent;
