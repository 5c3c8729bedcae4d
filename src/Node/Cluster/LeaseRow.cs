namespace AkkaExchange.Node.Cluster;

/// <summary>A lease as the table holds it: its holder now (null when free), the epoch (raised at each change of holder), its end.</summary>
public sealed record LeaseRow(string Name, string? Holder, long Epoch, DateTimeOffset ExpiresAt);
