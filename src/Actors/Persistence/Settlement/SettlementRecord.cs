using AkkaExchange.Actors.Domain.Settlement;

namespace AkkaExchange.Actors.Persistence.Settlement;

/// <summary>A notice as stored: <paramref name="Seq"/> orders all notices by commit; <paramref name="SettledAt"/> is Unix µs, as the trade time.</summary>
public sealed record SettlementRecord(long Seq, SettlementNotice Notice, long SettledAt);
