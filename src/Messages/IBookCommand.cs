namespace AkkaExchange.Messages;

/// <summary>A command decided by a symbol's order book.</summary>
public interface IBookCommand : IWithSymbol;
