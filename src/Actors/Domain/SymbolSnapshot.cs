using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>The whole state of a symbol at <c>Book.Sequence</c>: restoring it and replaying the later events equals a full replay.</summary>
public sealed record SymbolSnapshot(OrderBookSnapshot Book, IReadOnlyList<OrderReport> Orders, IReadOnlyList<TradeExecuted> RecentTrades);
