namespace AkkaExchange.Actors.Settlement;

/// <summary>How the settlement projection runs.</summary>
/// <param name="PollInterval">Wait between journal reads when the last one found nothing new.</param>
/// <param name="EventsPerSymbol">Journal events read per symbol per batch (bounds one transaction).</param>
/// <param name="DropRate">Fault injection for tests only: the share of trades skipped as if their delivery was lost
/// (the offset still moves on), for reconciliation to find. 0 in production.</param>
public sealed record SettlementSettings(TimeSpan PollInterval, int EventsPerSymbol = 2_000, double DropRate = 0)
{
    public static SettlementSettings Default { get; } = new(TimeSpan.FromMilliseconds(20));
}
