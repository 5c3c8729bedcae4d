namespace AkkaExchange.Messages;

/// <summary>Query the most recent trades, newest first; replies with <see cref="RecentTrades"/>.</summary>
public sealed record GetTrades(string Symbol, int Limit) : IWithSymbol;
