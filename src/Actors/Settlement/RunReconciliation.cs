namespace AkkaExchange.Actors.Settlement;

/// <summary>
/// Asks the reconciliation actor for a run now; the reply is the <see cref="Ledger.ReconciliationRun"/>.
/// <paramref name="Scope"/>: "since-last-clean" (from the checkpoints) or "full" (all history).
/// </summary>
public sealed record RunReconciliation(string Scope, string Trigger = "manual");
