using AkkaExchange.Node.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AkkaExchange.Node.Api;

/// <summary>
/// <c>/health/live</c>: the actor system runs (Akka.Hosting's liveness check). <c>/health/ready</c>: this node is an up
/// member of its cluster (Akka.Cluster.Hosting's readiness check) and every symbol has recovered
/// (<see cref="ExchangeReadiness"/>). Each answers <c>{"status", "checks": {name: status}}</c>, 503 when not healthy.
/// </summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", Options(AkkaComposition.LivenessTag, "live", "down"));
        app.MapHealthChecks("/health/ready", Options(AkkaComposition.ReadinessTag, "ready", "recovering"));
    }

    private static HealthCheckOptions Options(string tag, string healthy, string unhealthy) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = (context, report) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new
            {
                status = report.Status == HealthStatus.Healthy ? healthy : unhealthy,
                checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant()),
            }));
        },
    };
}
