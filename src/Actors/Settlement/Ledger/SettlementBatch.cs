using AkkaExchange.Actors.Settlement.Domain;

namespace AkkaExchange.Actors.Settlement.Ledger;

/// <summary>
/// What one settlement transaction writes: ledger legs and notices (both idempotent by key: what exists is skipped)
/// and, for the projection, the journal positions read up to (per symbol), committed in the same transaction.
/// </summary>
public sealed record SettlementBatch(IReadOnlyList<Posting> Postings, IReadOnlyList<SettlementNotice> Notices,
    IReadOnlyDictionary<string, long>? Offsets = null);
