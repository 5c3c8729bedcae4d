namespace AkkaExchange.Messages;

/// <summary>How an order's price is set.</summary>
public enum OrderType : byte
{
    /// <summary>Trades at its limit price or better; may rest when its time in force allows.</summary>
    Limit = 1,

    /// <summary>Trades at any price against the resting liquidity; never rests.</summary>
    Market = 2,
}
