namespace AkkaExchange.Messages;

/// <summary>
/// Amend the order an account entered with <paramref name="ClientOrderId"/>: new price (ticks) and/or new total
/// quantity, as <see cref="AmendOrder"/>. Replies with an <see cref="OrderReport"/>.
/// </summary>
public sealed record AmendClientOrder(string Symbol, string Account, string ClientOrderId, long? Price, long? Quantity) : IWithSymbol;
