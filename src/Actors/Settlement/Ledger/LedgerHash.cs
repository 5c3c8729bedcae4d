namespace AkkaExchange.Actors.Settlement.Ledger;

/// <summary>
/// A hash of the whole ledger — every posting and every settlement notice, in key order, every column — with the
/// row counts: two ledgers with equal hashes hold the same entries (a restored ledger and its original, two regions).
/// </summary>
public sealed record LedgerHash(string Hash, long Postings, long Settlements);
