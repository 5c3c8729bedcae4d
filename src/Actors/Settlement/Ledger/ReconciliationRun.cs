namespace AkkaExchange.Actors.Settlement.Ledger;

/// <summary>
/// One row of the audit table. <paramref name="Scope"/>: "since-last-clean" or "full"; the window is the trade time
/// range checked (Unix µs, 0 when empty). <paramref name="Outcome"/>: "clean" (nothing found), "repaired" (everything
/// found was replayed), "breaks" (mismatches or extras remain for a person). Start and finish are Unix ms.
/// </summary>
public sealed record ReconciliationRun(long RunId, string Trigger, string Scope, long StartedAt, long FinishedAt, long WindowFrom, long WindowTo,
    long TradesChecked, long Missing, long Replayed, long Mismatched, long Extra, long ImbalancedAssets, long PositionBreaks, string Outcome,
    string Details)
{
    public long DurationMs => FinishedAt - StartedAt;
}
