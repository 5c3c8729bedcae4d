namespace AkkaExchange.Messages;

/// <summary>The side of an order or of a trade's aggressor.</summary>
public enum Side : byte
{
    Buy = 1,
    Sell = 2,
}
