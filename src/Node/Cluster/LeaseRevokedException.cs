namespace AkkaExchange.Node.Cluster;

/// <summary>A lease this node held ran out or was taken by another node; whatever it guarded must stop.</summary>
public sealed class LeaseRevokedException(string lease) : Exception($"lease {lease} lost");
