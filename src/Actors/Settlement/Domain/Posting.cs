namespace AkkaExchange.Actors.Settlement.Domain;

/// <summary>
/// One leg of a double-entry ledger entry: <paramref name="Amount"/> of <paramref name="Asset"/> (cash in tick units,
/// or shares of a symbol) into (positive) or out of (negative) an account. Its key is (symbol, trade id, account,
/// asset): a trade posts each of its legs once, so posting it again changes nothing. The legs of one trade sum to
/// zero per asset.
/// </summary>
public readonly record struct Posting(string Symbol, long TradeId, string Account, string Asset, long Amount)
{
    public (string Symbol, long TradeId, string Account, string Asset) Key => (Symbol, TradeId, Account, Asset);
}
