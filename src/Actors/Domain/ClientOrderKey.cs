namespace AkkaExchange.Actors.Domain;

/// <summary>What identifies an order to its owner: the account and the client's own order id.</summary>
public readonly record struct ClientOrderKey(string Account, string ClientOrderId);
