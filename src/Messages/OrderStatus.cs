namespace AkkaExchange.Messages;

/// <summary>Where an order is in its life. Filled, cancelled and rejected are final.</summary>
public enum OrderStatus : byte
{
    New = 1,
    PartiallyFilled = 2,
    Filled = 3,
    Cancelled = 4,
    Rejected = 5,
}
