namespace AkkaExchange.Messages;

/// <summary>Why an order's remaining quantity was cancelled.</summary>
public enum CancelReason : byte
{
    /// <summary>The owner asked for it.</summary>
    User = 1,

    /// <summary>The unfilled remainder of an immediate-or-cancel order.</summary>
    IocRemainder = 2,

    /// <summary>A fill-or-kill order that could not be filled completely at once.</summary>
    FokUnfillable = 3,

    /// <summary>The incoming order met a resting order of its own account (self-trade prevention).</summary>
    SelfTrade = 4,

    /// <summary>The unfilled remainder of a market order once the opposite side ran out.</summary>
    MarketRemainder = 5,
}
