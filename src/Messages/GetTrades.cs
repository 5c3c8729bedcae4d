namespace AkkaExchange.Messages;

/// <summary>Query the most recent trades, newest first; replies with an <see cref="IReadOnlyList{T}"/> of <see cref="TradeExecuted"/>.</summary>
public sealed record GetTrades(string Symbol, int Limit) : IWithSymbol;
