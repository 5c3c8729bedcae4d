namespace AkkaExchange.Messages;

/// <summary>One aggregated level of a book view: price in ticks, total quantity, number of orders.</summary>
public readonly record struct BookLevel(long Price, long Quantity, int Orders);
