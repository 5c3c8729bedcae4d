namespace AkkaExchange.Messages;

/// <summary>Cancel the order an account entered with <paramref name="ClientOrderId"/>; replies with an <see cref="OrderReport"/>.</summary>
public sealed record CancelClientOrder(string Symbol, string Account, string ClientOrderId) : IWithSymbol;
