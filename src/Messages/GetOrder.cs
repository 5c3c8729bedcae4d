namespace AkkaExchange.Messages;

/// <summary>
/// Query one order by its client id; replies with an <see cref="OrderReport"/>, or a <see cref="CommandRejected"/>
/// with <see cref="RejectReason.UnknownOrder"/> when the symbol does not know it.
/// </summary>
public sealed record GetOrder(string Symbol, string Account, string ClientOrderId) : IWithSymbol;
