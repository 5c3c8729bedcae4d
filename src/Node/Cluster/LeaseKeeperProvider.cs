using Akka.Actor;

namespace AkkaExchange.Node.Cluster;

public sealed class LeaseKeeperProvider : ExtensionIdProvider<LeaseKeeper>
{
    public override LeaseKeeper CreateExtension(ExtendedActorSystem system) => new(system);
}
