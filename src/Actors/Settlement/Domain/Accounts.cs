namespace AkkaExchange.Actors.Settlement.Domain;

/// <summary>
/// Who is who in the ledger. A customer account is <c>&lt;broker&gt;-&lt;customer&gt;</c> (<c>BD017-C042</c>): its
/// broker is the part before the first '-'. An account without a '-' is a direct member, its own broker. Fees go to
/// the brokers and to <see cref="Exchange"/>; deposits come from <see cref="External"/> (the world outside the
/// ledger), so every entry balances.
/// </summary>
public static class Accounts
{
    public const string Exchange = "EXCHANGE";
    public const string External = "EXTERNAL";
    public const string Cash = "CASH";

    public static string BrokerOf(string account)
    {
        var dash = account.IndexOf('-');
        return dash > 0 ? account[..dash] : account;
    }

    /// <summary>The ledger's own accounts: no order may be entered under them.</summary>
    public static bool IsReserved(string account) =>
        string.Equals(account, Exchange, StringComparison.OrdinalIgnoreCase) || string.Equals(account, External, StringComparison.OrdinalIgnoreCase);
}
