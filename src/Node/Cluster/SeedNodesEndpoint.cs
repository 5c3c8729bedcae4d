using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Newtonsoft.Json;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// <c>GET /bootstrap/seed-nodes</c>: the contact-point route of Akka.Management's Cluster Bootstrap, served by the
/// node's own HTTP server (Akka.Management's HTTP server cannot start from our package feed). It answers what
/// Akka.Management would — this node's address and the cluster's up or joining, reachable members — in the JSON
/// Akka.Management's bootstrap reads, so the other nodes' <c>ClusterBootstrap</c> decides whether to join or form.
/// </summary>
public static class SeedNodesEndpoint
{
    /// <summary>Members exposed per answer, as Akka.Management's default.</summary>
    private const int MaxSeedNodes = 10;

    public static void MapSeedNodesEndpoint(this IEndpointRouteBuilder app) =>
        app.MapGet("/bootstrap/seed-nodes", (ActorSystem system) =>
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            var self = cluster.SelfMember;
            var members = self.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Leaving or MemberStatus.Removed
                ? ImmutableList<HttpBootstrapJsonProtocol.ClusterMember>.Empty
                : cluster.State.Members
                    .Where(m => !cluster.State.Unreachable.Contains(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
                    .Take(MaxSeedNodes)
                    .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.UniqueAddress.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
                    .ToImmutableList();
            var body = JsonConvert.SerializeObject(new HttpBootstrapJsonProtocol.SeedNodes(self.UniqueAddress.Address, members));
            return Results.Content(body, "application/json");
        });
}
