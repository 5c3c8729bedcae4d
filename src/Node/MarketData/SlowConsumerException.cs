namespace AkkaExchange.Node.MarketData;

/// <summary>A market-data subscriber fell more than the queue's capacity behind and was cut off.</summary>
public sealed class SlowConsumerException() : Exception("subscriber too slow: market data queue overflowed; reconnect for a snapshot");
