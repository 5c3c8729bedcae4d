namespace AkkaExchange.Actors.Settlement.Domain;

/// <summary>
/// What one comparison of journal trades with ledger postings found.
/// <list type="bullet">
/// <item><see cref="Missing"/>: trades with no posting at all; <see cref="Incomplete"/>: trades some of whose legs
/// are missing while the rest match. Both are repaired by posting <see cref="Repairs"/> (the missing legs) and
/// re-sending <see cref="RepairNotices"/>.</item>
/// <item><see cref="Mismatched"/>: trades with a leg whose amount or account differs from what the trade says: reported,
/// never overwritten. <see cref="Extra"/>: postings of trades the journal does not have.</item>
/// <item><see cref="ImbalancedAssets"/>: assets whose postings in the window do not sum to zero;
/// <see cref="PositionBreaks"/>: (account, asset) pairs whose ledger movement differs from the sum of its trades.</item>
/// </list>
/// </summary>
public sealed record ReconciliationFindings(
    long TradesChecked,
    IReadOnlyList<SettledTrade> Missing,
    IReadOnlyList<SettledTrade> Incomplete,
    IReadOnlyList<Posting> Repairs,
    IReadOnlyList<SettlementNotice> RepairNotices,
    IReadOnlyList<string> Mismatched,
    IReadOnlyList<Posting> Extra,
    IReadOnlyList<string> ImbalancedAssets,
    long PositionBreaks)
{
    /// <summary>Breaks a repair cannot fix: they need a person.</summary>
    public bool HasUnresolved => Mismatched.Count > 0 || Extra.Count > 0;
}
