using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Kernel;

namespace AkkaExchange.Node.Cluster;

/// <summary>A named actor of which the cluster runs exactly one instance (embedded: the node runs it).</summary>
public sealed record ClusterSingleton(string Name, Func<SingletonToken, Actor> Factory);
