namespace AkkaExchange.Messages;

/// <summary>
/// The aggregated book of a symbol at journal sequence <paramref name="Sequence"/>: bids best (highest) first,
/// asks best (lowest) first.
/// </summary>
public sealed record BookView(string Symbol, long Sequence, IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks, TradeExecuted? LastTrade);
