namespace AkkaExchange.Messages;

/// <summary>Query one order by its client id; replies with an <see cref="OrderReport"/> or null when unknown.</summary>
public sealed record GetOrder(string Symbol, string Account, string ClientOrderId) : IWithSymbol;
