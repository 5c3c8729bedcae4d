namespace AkkaExchange.Messages;

/// <summary>Query a symbol's position in its journal and the hash of its state; replies with a <see cref="SymbolStateReport"/>.</summary>
public sealed record GetSymbolState(string Symbol) : IWithSymbol;
