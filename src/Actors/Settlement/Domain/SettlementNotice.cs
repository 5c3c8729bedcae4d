using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Settlement.Domain;

/// <summary>
/// What one side of a trade is told when it settles: it bought or sold, how much at what price, the net cash
/// (negative for a buyer: notional plus fees) and the fees it paid. Keyed by (symbol, trade id, side).
/// </summary>
public sealed record SettlementNotice(string Account, string Symbol, long TradeId, Side Side, long Quantity, long Price, long Cash, long Fee,
    long TradedAt);
