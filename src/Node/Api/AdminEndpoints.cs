using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.Node.Cluster;
using AkkaExchange.Node.Hosting;
using AkkaExchange.Node.Settlement;

namespace AkkaExchange.Node.Api;

/// <summary>
/// <c>/admin/v1</c>, for operators: needs <c>Authorization: Bearer &lt;Exchange:AdminToken&gt;</c>; with no token
/// configured it refuses every call. Everything here is read from Akka: members from the cluster state, the shard
/// table from sharding's own queries, singletons from their leases, each symbol's state hash from its entity (and
/// the ledger's from its tables); leave and down act through Akka.Cluster.
/// </summary>
public static class AdminEndpoints
{
    // Sharding answers its queries within shard-region-query-timeout (2 s, ExchangeHocon) even when a shard is busy
    // starting: waiting twice that never gives up on an answer that is coming.
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(4);

    /// <summary>An endpoint filter: an Akka query that timed out (a region busy handing shards over) is a 503 to retry, not a 500.</summary>
    public static async ValueTask<object?> TimeoutIsUnavailable(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (AskTimeoutException)
        {
            return ApiResults.Error(503, "the cluster did not answer in time; retry");
        }
    }

    /// <summary>An endpoint filter: 403 when the node has no admin token, 401 when the request does not carry it.</summary>
    public static async ValueTask<object?> RequireAdminToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var token = context.HttpContext.RequestServices.GetRequiredService<NodeSettings>().Options.AdminToken;
        if (string.IsNullOrEmpty(token))
            return ApiResults.Error(403, "admin API disabled: set Exchange__AdminToken on the node");
        // Hashes of equal length compared in constant time: neither the token's content nor its length leaks.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(context.HttpContext.Request.Headers.Authorization.ToString()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + token));
        if (!CryptographicOperations.FixedTimeEquals(given, expected))
            return ApiResults.Error(401, "missing or wrong admin token");
        return await next(context);
    }

    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1").AddEndpointFilter(RequireAdminToken).AddEndpointFilter(TimeoutIsUnavailable);

        admin.MapGet("/members", Members);
        admin.MapGet("/shards", ShardsAsync);
        admin.MapGet("/singletons", SingletonsAsync);

        // Where every symbol stands (journal sequence and state hash) and the ledger's hash: "the restored exchange
        // equals the original", or "region B equals region A after a rotation", is one comparison of two answers.
        admin.MapGet("/state", (SymbolGateway gateway, SettlementStore ledger, CancellationToken ct) => ApiResults.Guard(async () =>
        {
            gateway.EnsureServing();
            var symbols = await Task.WhenAll(gateway.Instruments.Keys.Order(StringComparer.Ordinal).Select(s => gateway.AskAsync(new GetSymbolState(s), ct)));
            var hash = await ledger.HashAsync(ct);
            return Results.Json(new
            {
                symbols = symbols.OfType<SymbolStateReport>().Select(r => new { symbol = r.Symbol, sequence = r.Sequence, stateHash = r.StateHash.ToString("x16") }),
                ledger = new { hash = hash.Hash, postings = hash.Postings, settlements = hash.Settlements },
            }, ApiJson.Options);
        }));

        admin.MapPost("/leave", (NodeSettings settings, IHostApplicationLifetime lifetime) =>
        {
            // Stopping the host is the graceful leave: Akka's coordinated shutdown hands the shards over, the entities
            // write what they hold, the member leaves.
            lifetime.StopApplication();
            return Results.Json(new { leaving = settings.Options.NodeId }, statusCode: 202);
        });

        admin.MapPost("/down/{nodeId}", (string nodeId, ActorSystem system, NodeSettings settings) =>
        {
            if (nodeId == settings.Options.NodeId) return ApiResults.Error(400, "use /admin/v1/leave to take this node out");
            var cluster = Akka.Cluster.Cluster.Get(system);
            if (cluster.State.Members.FirstOrDefault(m => NodeIdOf(m) == nodeId) is not { } member) return ApiResults.Error(404, $"no member {nodeId}");
            cluster.Down(member.Address);
            return Results.Json(new { downed = nodeId, address = member.Address.ToString() });
        });
    }

    /// <summary>The members as this node's cluster state has them: status, reachability, roles, leader and oldest.</summary>
    public static IResult Members(ActorSystem system, NodeSettings settings)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var oldest = state.Members.Where(m => m.Status == MemberStatus.Up).OrderBy(m => m, Member.AgeOrdering).FirstOrDefault();
        return Results.Json(new
        {
            mode = settings.Options.Cluster ? "cluster" : "embedded",
            self = cluster.SelfAddress.ToString(),
            leader = state.Leader?.ToString(),
            oldest = oldest?.Address.ToString(),
            members = state.Members.Select(m => new
            {
                nodeId = NodeIdOf(m), address = m.Address.ToString(), httpAddress = HttpAddressOf(m),
                status = m.Status.ToString().ToLowerInvariant(), reachable = !state.Unreachable.Contains(m),
                roles = m.Roles.Where(r => !r.StartsWith(NodeSettings.NodeRolePrefix) && !r.StartsWith(NodeSettings.ApiRolePrefix)).Order().ToArray(),
            }),
        }, ApiJson.Options);
    }

    /// <summary>The shard table: each shard's owner, symbols, entities, lease epoch and whether it serves here.</summary>
    public static async Task<IResult> ShardsAsync(ActorSystem system, IRequiredActor<SymbolRegion> region, NodeSettings settings, LocalSymbols local,
        IServiceProvider services, CancellationToken ct)
    {
        var members = Akka.Cluster.Cluster.Get(system).State.Members;
        var owners = new Dictionary<int, (string Owner, int Entities)>();
        var stats = await region.ActorRef.Ask<ClusterShardingStats>(new GetClusterShardingStats(QueryTimeout), QueryTimeout + QueryTimeout, ct);
        foreach (var (address, regionStats) in stats.Regions)
        {
            var node = members.FirstOrDefault(m => m.Address == address) is { } m ? NodeIdOf(m) : address.ToString();
            foreach (var (shard, entities) in regionStats.Stats)
                if (int.TryParse(shard, out var id)) owners[id] = (node, entities);
        }
        var here = await region.ActorRef.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, QueryTimeout, ct);
        var hostedHere = here.Shards.Select(s => s.ShardId).ToHashSet();
        var leases = await ShardLeasesAsync(services, ct);
        return Results.Json(new
        {
            mode = settings.Options.Cluster ? "cluster" : "embedded",
            shards = Enumerable.Range(0, settings.Shards.Shards).Select(shard =>
            {
                var symbols = settings.Instruments.Keys.Where(s => settings.Shards.ShardOf(s) == shard).Order(StringComparer.Ordinal).ToArray();
                var name = shard.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var hosted = hostedHere.Contains(name);
                var serving = hosted && symbols.All(local.IsServing);
                var lease = leases.GetValueOrDefault($"{AkkaComposition.SystemName}-shard-{SymbolRegion.TypeName}-{shard}");
                var owned = owners.TryGetValue(shard, out var o);
                return new
                {
                    shard, owner = owned ? o.Owner : null, epoch = lease?.Epoch ?? 0L,
                    // In a cluster a shard is live only while someone holds its lease.
                    expired = settings.Options.Cluster && lease?.Holder is null,
                    servingHere = serving, recovering = hosted && !serving, symbols, entities = owned ? o.Entities : 0,
                };
            }),
        }, ApiJson.Options);
    }

    /// <summary>Where settlement and reconciliation run, by their leases (cluster) or this node (embedded).</summary>
    public static async Task<IResult> SingletonsAsync(ActorSystem system, NodeSettings settings, IServiceProvider services, CancellationToken ct)
    {
        var members = Akka.Cluster.Cluster.Get(system).State.Members;
        var leases = await ShardLeasesAsync(services, ct);
        var singletons = new List<object>();
        foreach (var name in new[] { SettlementSingleton.Name, ReconciliationSingleton.Name })
        {
            var running = await system.ActorSelection($"/user/{name}/{name}").Ask<ActorIdentity>(new Identify(name), QueryTimeout, ct);
            var lease = leases.GetValueOrDefault($"{AkkaComposition.SystemName}-singleton-akka://{AkkaComposition.SystemName}/user/{name}");
            var owner = settings.Options.Cluster
                ? members.FirstOrDefault(m => lease?.Holder is { } h && m.Address.HostPort() == h) is { } m ? NodeIdOf(m) : null
                : settings.Options.NodeId;
            singletons.Add(new { name, owner, epoch = lease?.Epoch ?? 0L, runningHere = running.Subject is not null });
        }
        return Results.Json(new { mode = settings.Options.Cluster ? "cluster" : "embedded", singletons }, ApiJson.Options);
    }

    /// <summary>A member's node id (its <c>node:</c> role), or its address when it has none.</summary>
    public static string NodeIdOf(Member member) => RoleValue(member, NodeSettings.NodeRolePrefix) ?? member.Address.ToString();

    /// <summary>The HTTP address a member advertises (its <c>api:</c> role), if any.</summary>
    public static string? HttpAddressOf(Member member) => RoleValue(member, NodeSettings.ApiRolePrefix);

    private static string? RoleValue(Member member, string prefix) =>
        member.Roles.FirstOrDefault(r => r.StartsWith(prefix, StringComparison.Ordinal)) is { } role ? role[prefix.Length..] : null;

    /// <summary>The lease table in a cluster (empty embedded).</summary>
    private static async Task<IReadOnlyDictionary<string, LeaseRow>> ShardLeasesAsync(IServiceProvider services, CancellationToken ct)
    {
        if (!services.GetRequiredService<NodeSettings>().Options.Cluster) return new Dictionary<string, LeaseRow>();
        var keeper = LeaseKeeper.Get(services.GetRequiredService<ActorSystem>());
        return (await LeaseSql.ReadAllAsync(keeper.Source, ct)).ToDictionary(l => l.Name);
    }
}
