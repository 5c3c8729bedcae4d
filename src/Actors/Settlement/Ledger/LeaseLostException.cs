namespace AkkaExchange.Actors.Settlement.Ledger;

/// <summary>A fenced ledger write was refused: the writer's lease is no longer held. Nothing of the transaction was written.</summary>
public sealed class LeaseLostException(string message) : Exception(message);
