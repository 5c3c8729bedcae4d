namespace AkkaExchange.Actors.Settlement;

/// <summary>How the settlement projection runs.</summary>
/// <param name="BatchWindow">How long rows gather into one ledger transaction (unless <paramref name="RowsPerBatch"/> come first):
/// bounds the added lag, and lets a steady flow settle in fewer, larger transactions.</param>
/// <param name="RowsPerBatch">Journal rows (each the events of several orders) per ledger transaction at most: bounds one
/// transaction, so settlement lag stays short and the ledger is never locked for long.</param>
/// <param name="DropRate">Fault injection for tests only: the share of trades skipped as if their delivery was lost
/// (the offset still moves on), for reconciliation to find. 0 in production.</param>
/// <param name="RetryPause">Wait before the projection starts again from its committed offsets after a failure.</param>
public sealed record SettlementSettings(TimeSpan BatchWindow, int RowsPerBatch = 2_000, double DropRate = 0, TimeSpan? RetryPause = null)
{
    public static SettlementSettings Default { get; } = new(TimeSpan.FromMilliseconds(100));

    public TimeSpan Pause => RetryPause ?? TimeSpan.FromSeconds(1);
}
