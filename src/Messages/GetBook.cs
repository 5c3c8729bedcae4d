namespace AkkaExchange.Messages;

/// <summary>Query the aggregated book to <paramref name="Depth"/> levels per side; replies with a <see cref="BookView"/>.</summary>
public sealed record GetBook(string Symbol, int Depth) : IWithSymbol;
