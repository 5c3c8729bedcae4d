namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// Published on the local event stream by a symbol entity when it starts serving (recovered) and when it stops:
/// what this node serves right now, for its admin API and readiness. Never leaves the node.
/// </summary>
public sealed record SymbolServing(string Symbol, bool Serving) : Akka.Actor.INoSerializationVerificationNeeded;
