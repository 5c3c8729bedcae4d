namespace AkkaExchange.Node.Cluster;

/// <summary>Asks the probe singleton where it runs; it replies with its <see cref="AkkaExchange.Actors.Persistence.SingletonToken"/>.</summary>
public sealed record WhereAreYou;
