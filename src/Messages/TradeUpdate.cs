namespace AkkaExchange.Messages;

/// <summary>A trade on the market-data topic (price in ticks).</summary>
public sealed record TradeUpdate(string Symbol, long Sequence, long PreviousSequence, long TradeId, long Price, long Quantity,
    Side AggressorSide, long Timestamp) : IMarketDataUpdate;
