namespace AkkaExchange.LoadTest;

/// <summary>What a customer sends.</summary>
public enum OrderKind
{
    Limit,
    Market,
    Ioc,
    Cancel,
    Amend,
}
