namespace AkkaExchange.Actors.Symbols;

/// <summary>The DistributedPubSub topic of a symbol's market data.</summary>
public static class MarketDataTopic
{
    private const string Prefix = "md.";

    public static string Of(string symbol) => Prefix + symbol;

    public static string SymbolOf(string topic) => topic.StartsWith(Prefix, StringComparison.Ordinal) ? topic[Prefix.Length..] : topic;
}
