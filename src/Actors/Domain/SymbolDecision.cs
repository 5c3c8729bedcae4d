using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>The outcome of <see cref="SymbolLogic.Decide"/>: which order the reply is about, and why not when refused.</summary>
public readonly record struct SymbolDecision(SymbolDecisionKind Kind, ClientOrderKey Key, RejectReason Reason);
