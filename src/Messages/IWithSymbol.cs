namespace AkkaExchange.Messages;

/// <summary>A message routed to one symbol's actor; the router reads <see cref="Symbol"/>.</summary>
public interface IWithSymbol
{
    string Symbol { get; }
}
