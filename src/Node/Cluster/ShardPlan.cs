namespace AkkaExchange.Node.Cluster;

/// <summary>What a node should do about shards now: try to take these, hand these over.</summary>
public sealed record ShardPlan(IReadOnlyList<int> Acquire, IReadOnlyList<int> Release);
