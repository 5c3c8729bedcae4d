namespace AkkaExchange.Actors.Domain;

/// <summary>One aggregated price level: total resting quantity and number of orders at a price (in ticks).</summary>
public readonly record struct DepthLevel(long Price, long Quantity, int Orders);
