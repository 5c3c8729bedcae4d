namespace AkkaExchange.Messages;

/// <summary>
/// The reply to a command that was refused before it reached the book (unknown order for a cancel, a
/// clientOrderId reused for a different order, a symbol not available). Nothing was journaled.
/// </summary>
public sealed record CommandRejected(string Symbol, string Account, string ClientOrderId, RejectReason Reason);
