namespace AkkaExchange.Messages;

/// <summary>
/// Asks a symbol to publish its committed book on its market-data topic as a <see cref="MarketDataSnapshot"/>
/// tagged <paramref name="RequestId"/>. A snapshot that travels the topic arrives in order with the updates: a
/// subscriber that receives it receives every update after it, wherever the symbol runs (no reply is sent).
/// </summary>
public sealed record RequestMarketDataSnapshot(string Symbol, string RequestId) : IWithSymbol;
