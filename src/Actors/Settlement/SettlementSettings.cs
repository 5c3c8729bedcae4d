namespace AkkaExchange.Actors.Settlement;

/// <summary>How the settlement projection runs.</summary>
/// <param name="PollInterval">Wait between journal reads unless the last batch was at least half full: bounds the
/// added lag, and lets a steady flow gather into fewer, larger transactions.</param>
/// <param name="EventsPerBatch">Journal events read per batch, spread over the symbols (at least 64 each): bounds one
/// transaction, so settlement lag stays short and the ledger is never locked for long.</param>
/// <param name="DropRate">Fault injection for tests only: the share of trades skipped as if their delivery was lost
/// (the offset still moves on), for reconciliation to find. 0 in production.</param>
public sealed record SettlementSettings(TimeSpan PollInterval, int EventsPerBatch = 20_000, double DropRate = 0)
{
    public static SettlementSettings Default { get; } = new(TimeSpan.FromMilliseconds(50));
}
