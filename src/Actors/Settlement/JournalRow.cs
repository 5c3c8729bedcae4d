using AkkaExchange.Actors.Symbols;

namespace AkkaExchange.Actors.Settlement;

/// <summary>One journal row of a symbol as read back: its persistence id, its row number and its events.</summary>
public sealed record JournalRow(string PersistenceId, long RowNumber, SymbolEvents Events);
