using AkkaExchange.Actors.Settlement.Domain;

namespace AkkaExchange.Actors.Settlement.Ledger;

/// <summary>A notice as stored: <paramref name="Seq"/> orders all notices by commit; <paramref name="SettledAt"/> is Unix µs, as the trade time.</summary>
public sealed record SettlementRecord(long Seq, SettlementNotice Notice, long SettledAt);
