using Akka.Actor.Setup;
using Akka.Hosting;
using Akka.Hosting.Coordination;

namespace AkkaExchange.Node.Cluster;

/// <summary>Names <see cref="PostgresLease"/> to Akka.Hosting's shard and singleton options (its HOCON is in the node's configuration).</summary>
public sealed class PostgresLeaseOption : LeaseOptionBase
{
    public static PostgresLeaseOption Instance { get; } = new();

    public override string ConfigPath => PostgresLease.ConfigPath;

    public override Type Class => typeof(PostgresLease);

    public override void Apply(AkkaConfigurationBuilder builder, Setup? setup = null)
    {
    }
}
