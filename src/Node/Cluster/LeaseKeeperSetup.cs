using Akka.Actor.Setup;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// How a node's <see cref="LeaseKeeper"/> reaches PostgreSQL, given as an actor system setup so that the connection
/// string (a secret) never goes into HOCON. <paramref name="presenceKey"/> is this process's presence lock key, also
/// set on its journal sessions (<see cref="JournalFence"/>).
/// </summary>
public sealed class LeaseKeeperSetup(string connectionString, string schema, int presenceKey, TimeSpan ttl, TimeSpan renewInterval) : Setup
{
    public string ConnectionString { get; } = connectionString;
    public string Schema { get; } = schema;
    public int PresenceKey { get; } = presenceKey;
    public TimeSpan Ttl { get; } = ttl;
    public TimeSpan RenewInterval { get; } = renewInterval;
}
