namespace AkkaExchange.Messages;

/// <summary>
/// Where a symbol stands: the journal sequence of the last event folded into its state and a hash of that state
/// (book, order registry, recent trades). Two replicas with equal sequence and hash hold the same state, so
/// "recovered equals replay" and "restored equals original" are one comparison.
/// </summary>
public sealed record SymbolStateReport(string Symbol, long Sequence, ulong StateHash);
