namespace AkkaExchange.Node.Api;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: every symbol has recovered and takes orders.</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Json(new { status = "live" }));
        app.MapGet("/health/ready", (SymbolGateway gateway) => gateway.IsReady
            ? Results.Json(new { status = "ready" })
            : Results.Json(new { status = "recovering" }, statusCode: 503));
    }
}
