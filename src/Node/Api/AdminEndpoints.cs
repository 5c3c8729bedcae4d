using System.Security.Cryptography;
using System.Text;
using AkkaExchange.Node.Hosting;

namespace AkkaExchange.Node.Api;

/// <summary>
/// <c>/admin/v1</c>, for operators: needs <c>Authorization: Bearer &lt;Exchange:AdminToken&gt;</c>; with no token
/// configured it refuses every call. Members, the shard table, and a graceful leave of this node.
/// </summary>
public static class AdminEndpoints
{
    /// <summary>An endpoint filter: 403 when the node has no admin token, 401 when the request does not carry it.</summary>
    public static async ValueTask<object?> RequireAdminToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var host = context.HttpContext.RequestServices.GetRequiredService<ExchangeHost>();
        if (string.IsNullOrEmpty(host.Options.AdminToken))
            return ApiResults.Error(403, "admin API disabled: set Exchange__AdminToken on the node");
        var given = context.HttpContext.Request.Headers.Authorization.ToString();
        var expected = "Bearer " + host.Options.AdminToken;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            return ApiResults.Error(401, "missing or wrong admin token");
        return await next(context);
    }

    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1").AddEndpointFilter(RequireAdminToken);

        admin.MapGet("/members", async (ExchangeHost host, CancellationToken ct) =>
        {
            if (host.Members is null) return Results.Json(new { mode = "embedded", members = new[] { new { nodeId = host.Options.NodeId, httpAddress = host.AdvertiseUrl, status = "up" } } });
            var members = await host.Members.ReadAllAsync(ct);
            return Results.Json(new
            {
                mode = "cluster",
                members = members.Select(m => new
                {
                    nodeId = m.NodeId, httpAddress = m.HttpAddress, startedAt = m.StartedAt, status = m.Status,
                    heartbeatAgeMs = (long)m.HeartbeatAge.TotalMilliseconds, live = m.HeartbeatAge < host.Options.LeaseTtl,
                }),
            });
        });

        admin.MapGet("/shards", async (ExchangeHost host, CancellationToken ct) =>
        {
            var exchange = host.Exchange;
            var hosted = exchange.HostedShards;
            if (host.Leases is null)
                return Results.Json(new
                {
                    mode = "embedded",
                    shards = Enumerable.Range(0, exchange.Shards.Shards).Select(s => new
                    {
                        shard = s, owner = host.Options.NodeId, epoch = 0L, serving = exchange.IsRecovered(s), symbols = exchange.SymbolsOf(s),
                    }),
                });
            var table = await host.Leases.ReadAllAsync(ct);
            return Results.Json(new
            {
                mode = "cluster",
                shards = table.Select(l => new
                {
                    shard = l.ShardId, owner = l.IsFree ? null : l.Owner, epoch = l.Epoch, leaseUntil = l.LeaseUntil, expired = l.Expired,
                    servingHere = exchange.IsRecovered(l.ShardId), recovering = hosted.ContainsKey(l.ShardId) && !exchange.IsRecovered(l.ShardId), symbols = exchange.SymbolsOf(l.ShardId), entities = exchange.SymbolsOf(l.ShardId).Count,
                }),
            });
        });

        admin.MapGet("/singletons", async (ExchangeHost host, CancellationToken ct) =>
        {
            if (host.SingletonLeases is null) return Results.Json(new { mode = "embedded", singletons = Array.Empty<object>() });
            var running = host.Singletons?.Running ?? new Dictionary<string, AkkaExchange.Actors.Kernel.ActorRef>();
            var table = await host.SingletonLeases.ReadAllAsync(ct);
            return Results.Json(new
            {
                mode = "cluster",
                singletons = table.Select(l => new
                {
                    name = l.Name, owner = l.Owner is null || l.Expired ? null : l.Owner, epoch = l.Epoch, leaseUntil = l.LeaseUntil,
                    expired = l.Expired, runningHere = running.ContainsKey(l.Name),
                }),
            });
        });

        admin.MapPost("/leave", (ExchangeHost host, IHostApplicationLifetime lifetime) =>
        {
            // Stopping the host is the graceful leave: shards handed over, mailboxes drained, journal flushed.
            lifetime.StopApplication();
            return Results.Json(new { leaving = host.Options.NodeId }, statusCode: 202);
        });

        admin.MapPost("/down/{nodeId}", async (string nodeId, ExchangeHost host, CancellationToken ct) =>
        {
            if (host.Members is null) return ApiResults.Error(400, "not in cluster mode");
            if (nodeId == host.Options.NodeId) return ApiResults.Error(400, "use /admin/v1/leave to take this node out");
            await host.Members.RemoveAsync(nodeId, ct);
            return Results.Json(new { downed = nodeId, note = "its shards move when their leases run out" });
        });
    }
}
