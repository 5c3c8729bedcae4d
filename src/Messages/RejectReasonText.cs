namespace AkkaExchange.Messages;

/// <summary>Stable, human-readable texts for <see cref="RejectReason"/>; they appear in API error bodies.</summary>
public static class RejectReasonText
{
    /// <summary>The text for a reason; never null.</summary>
    public static string Of(RejectReason reason) => reason switch
    {
        RejectReason.InvalidQuantity => "quantity must be a positive integer within the symbol's limits",
        RejectReason.QuantityNotMultipleOfLot => "quantity must be a multiple of the symbol's lot size",
        RejectReason.InvalidPrice => "price must be positive, on the symbol's tick and within its limits",
        RejectReason.PostOnlyWouldTakeLiquidity => "post-only order would take liquidity",
        RejectReason.MarketOrderMustBeImmediate => "market orders must be ioc or fok",
        RejectReason.MarketOrderCannotBePostOnly => "market orders cannot be post-only",
        RejectReason.UnknownOrder => "unknown order or order no longer working",
        RejectReason.NotOrderOwner => "order belongs to another account",
        RejectReason.OrderNotAmendable => "only resting limit orders can be amended",
        RejectReason.NothingToAmend => "amend changes neither price nor quantity",
        RejectReason.QuantityNotAboveFilled => "amended quantity must exceed the filled quantity",
        RejectReason.UnknownSymbol => "unknown symbol",
        RejectReason.InvalidSide => "side must be buy or sell",
        RejectReason.InvalidOrderType => "type must be limit or market",
        RejectReason.InvalidTimeInForce => "timeInForce must be gtc, ioc or fok",
        RejectReason.InvalidAccount => "account must be 1-32 characters of letters, digits, '-' or '_'",
        RejectReason.InvalidClientOrderId => "clientOrderId must be 1-64 printable ASCII characters",
        RejectReason.DuplicateClientOrderId => "clientOrderId already used for a different order",
        RejectReason.Unavailable => "symbol temporarily unavailable",
        RejectReason.Unprocessable => "the symbol could not process this request",
        _ => "rejected",
    };
}
