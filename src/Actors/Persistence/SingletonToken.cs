namespace AkkaExchange.Actors.Persistence;

/// <summary>What a singleton instance runs under: its name, the lease epoch, the node. Its transactions must prove it (PostgresSingletonLeases.HoldsSql).</summary>
public readonly record struct SingletonToken(string Name, long Epoch, string Owner);
