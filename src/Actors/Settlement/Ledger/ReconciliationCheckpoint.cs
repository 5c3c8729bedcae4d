namespace AkkaExchange.Actors.Settlement.Ledger;

/// <summary>How far a symbol's trades were found reconciled: journal sequence number and trade id, inclusive.</summary>
public sealed record ReconciliationCheckpoint(string Symbol, long SequenceNr, long TradeId);
