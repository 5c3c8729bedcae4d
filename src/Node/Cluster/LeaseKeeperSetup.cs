using Akka.Actor.Setup;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// How a node's <see cref="LeaseKeeper"/> reaches PostgreSQL, given as an actor system setup so that the connection
/// string (a secret) never goes into HOCON. <paramref name="presenceKey"/> is this process's presence lock key, also
/// set on its journal sessions (<see cref="JournalFence"/>). <paramref name="mayHold"/> says whether the node's region is
/// active: a region that is not holds no lease (acquiring is refused, held ones are reported lost).
/// </summary>
public sealed class LeaseKeeperSetup(string connectionString, string schema, int presenceKey, TimeSpan ttl, TimeSpan renewInterval, Func<bool> mayHold)
    : Setup
{
    public Func<bool> MayHold { get; } = mayHold;
    public string ConnectionString { get; } = connectionString;
    public string Schema { get; } = schema;
    public int PresenceKey { get; } = presenceKey;
    public TimeSpan Ttl { get; } = ttl;
    public TimeSpan RenewInterval { get; } = renewInterval;
}
