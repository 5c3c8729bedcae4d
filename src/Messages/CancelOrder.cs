namespace AkkaExchange.Messages;

/// <summary>Cancel the remaining quantity of a working order; only its own account may.</summary>
public sealed record CancelOrder(string Symbol, string Account, long OrderId) : IBookCommand;
