using System.Net;
using AkkaExchange.Node.Api;

namespace AkkaExchange.Node.Dashboard;

/// <summary>
/// <c>/dashboard</c>: the operators' page (static files, <see cref="DashboardFiles"/>) and the read-only data it polls
/// under <c>/dashboard/api</c> — members, shard map and singletons (the admin API's own views), and order activity
/// (<see cref="ClusterActivity"/>). The data answers callers on this host without a key (the node listens on loopback
/// by default; <c>kubectl port-forward</c> arrives as loopback too) and anyone else only with the admin token. The
/// page's actions (down, leave, reconcile, fail over) go to the admin API with the operator key typed into the page.
/// </summary>
public static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard/{file?}", (string? file, HttpContext context, DashboardFiles files) => files.Serve(context, file ?? "index.html"));

        var api = app.MapGroup("/dashboard/api").AddEndpointFilter(RequireLoopbackOrAdminToken).AddEndpointFilter(AdminEndpoints.TimeoutIsUnavailable);
        api.MapGet("/members", AdminEndpoints.Members);
        api.MapGet("/shards", AdminEndpoints.ShardsAsync);
        api.MapGet("/singletons", AdminEndpoints.SingletonsAsync);
        api.MapGet("/activity", (ClusterActivity activity) => Results.Json(activity.Local(), ApiJson.Options));
        api.MapGet("/cluster-activity", async (ClusterActivity activity, CancellationToken ct) =>
            Results.Json(new { nodes = await activity.ReadAsync(ct) }, ApiJson.Options));
    }

    /// <summary>An endpoint filter: callers on this host pass; others need the admin token (<see cref="AdminEndpoints.RequireAdminToken"/>).</summary>
    public static ValueTask<object?> RequireLoopbackOrAdminToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip)
            ? next(context)
            : AdminEndpoints.RequireAdminToken(context, next);
}
