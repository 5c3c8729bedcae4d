namespace AkkaExchange.Actors.Settlement;

/// <summary>
/// What the settlement projection has done since it started here: trades settled and dropped (fault injection), the
/// lag of the last trade settled (trade time → commit, µs) and the journal position reached.
/// </summary>
public sealed record SettlementStatus(long TradesSettled, long TradesDropped, long LastLagMicros, long OffsetTotal);
