using AkkaExchange.Node.Api;

namespace AkkaExchange.Node.Regions;

/// <summary>
/// <c>GET /region</c> (public: clients and peer regions read which region is active) and the operator's
/// <c>POST /admin/v1/region/failover</c>, which makes this node's region the active one after its peer was lost.
/// </summary>
public static class RegionEndpoints
{
    public static void MapRegionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/region", (RegionGate gate) => Results.Json(Describe(gate.Status), ApiJson.Options));

        var admin = app.MapGroup("/admin/v1/region").AddEndpointFilter(AdminEndpoints.RequireAdminToken);
        admin.MapPost("/failover", async (RegionGate gate, IServiceProvider services, bool? force, CancellationToken ct) =>
            {
                if (await FreshMonitorAsync(services, ct) is not { } monitor) return NoRegion();
                var status = gate.Status;
                if (status.Role == RegionRole.Active)
                    return ApiResults.Error(409, $"region {status.Region} is already active (epoch {status.Epoch})");
                // A failover while the active region still answers makes two writers of one exchange: refuse unless
                // the operator says the peer is gone for good (a planned move is a rotation, which drains first).
                if (force != true && status.Peers.FirstOrDefault(p => p.Reachable && p.Role == "active") is { } live)
                    return ApiResults.Error(409, $"region {live.Region} answers and is active ({live.Url}); a failover needs it gone — pass force=true only if it is cut off for good");
                var (epoch, promoted) = await monitor.TakeOverAsync(ct);
                return Results.Json(new { region = status.Region, epoch, promoted, role = Word(gate.Status.Role) }, ApiJson.Options);
            });

        admin.MapPost("/handover", async (RegionGate gate, IServiceProvider services, string? to, CancellationToken ct) =>
            {
                if (await FreshMonitorAsync(services, ct) is not { } monitor) return NoRegion();
                var status = gate.Status;
                if (status.Role != RegionRole.Active)
                    return ApiResults.Error(409, $"region {status.Region} is not active ({Word(status.Role)}): only the active region hands over");
                if (status.Peers.FirstOrDefault(p => string.Equals(p.Region, to, StringComparison.OrdinalIgnoreCase) && p.Reachable) is not { } target)
                    return ApiResults.Error(400, $"to must name a peer region that answers (known: {string.Join(", ", status.Peers.Select(p => p.Region).Distinct())})");
                if (target.Role != "standby")
                    return ApiResults.Error(409, $"region {target.Region} is {target.Role}, not standby");
                if (status.Replicas.Count == 0)
                    return ApiResults.Error(409, "this region's database has no standby streaming from it: nothing would carry the last commits");
                try
                {
                    var (epoch, position) = await monitor.HandOverAsync(target.Region, ct);
                    return Results.Json(new { region = status.Region, to = target.Region, epoch, walPosition = position, role = Word(gate.Status.Role) },
                        ApiJson.Options);
                }
                catch (TimeoutException e)
                {
                    return ApiResults.Error(504, e.Message + "; the region stays out of trading: check the standby, then fail over to it or back");
                }
            });
    }

    /// <summary>An endpoint filter for writes outside the symbols (deposits, reconciliation requests): a region that is not active, whose database may be a replica, answers 503 naming the active region.</summary>
    public static async ValueTask<object?> RequireActiveRegion(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var gate = context.HttpContext.RequestServices.GetRequiredService<RegionGate>();
        return gate.AcceptsOrders ? await next(context) : ApiResults.Error(503, gate.Refusal());
    }

    /// <summary>The node's region monitor after a fresh read (an operator's command decides on the world as it is now); null without regions.</summary>
    private static async Task<RegionMonitor?> FreshMonitorAsync(IServiceProvider services, CancellationToken ct)
    {
        if (services.GetService<RegionMonitor>() is not { } monitor) return null;
        await monitor.RefreshAsync(ct);
        return monitor;
    }

    private static IResult NoRegion() => ApiResults.Error(409, "this node has no region (--region)");

    private static string Word(RegionRole role) => role.ToString().ToLowerInvariant();

    private static object Describe(RegionStatus s) => new
    {
        region = s.Region,
        role = Word(s.Role),
        acceptsOrders = s.AcceptsOrders,
        activeRegion = s.ActiveRegion,
        epoch = s.Epoch,
        database = s.Database,
        walPosition = s.WalPosition,
        replayLagBytes = s.ReplayLagBytes,
        lastReplayAgeMs = s.LastReplayAgeMs,
        replicas = s.Replicas,
        peers = s.Peers.Select(p => new { region = p.Region, url = p.Url, reachable = p.Reachable, role = p.Role, activeRegion = p.ActiveRegion, epoch = p.Epoch }),
        reason = s.Reason,
    };
}
