namespace AkkaExchange.Messages;

/// <summary>Why a command was refused. A rejected command changes no order and no book.</summary>
public enum RejectReason : byte
{
    InvalidQuantity = 1,
    QuantityNotMultipleOfLot = 2,
    InvalidPrice = 3,
    PostOnlyWouldTakeLiquidity = 4,
    MarketOrderMustBeImmediate = 5,
    MarketOrderCannotBePostOnly = 6,
    UnknownOrder = 7,
    NotOrderOwner = 8,
    OrderNotAmendable = 9,
    NothingToAmend = 10,
    QuantityNotAboveFilled = 11,
    UnknownSymbol = 12,
    InvalidSide = 13,
    InvalidOrderType = 14,
    InvalidTimeInForce = 15,
    InvalidAccount = 16,
    InvalidClientOrderId = 17,
    DuplicateClientOrderId = 18,
    Unavailable = 19,
    /// <summary>The symbol could not decide the command (a defect, logged); nothing was journaled.</summary>
    Unprocessable = 20,
}
