using AkkaExchange.Messages;
using AkkaExchange.Node.Security;

namespace AkkaExchange.Node.Api;

/// <summary>
/// Order entry over HTTP. Every answer to a command is sent only after the journal commit that covers it.
/// Orders are found by (account, clientOrderId); without <c>?symbol=</c> every symbol is asked, and a
/// clientOrderId the account used on several symbols needs the symbol named. Every endpoint acts only for the
/// caller's own accounts (<see cref="MemberAccess"/>).
/// </summary>
public static class OrderEndpoints
{
    public static void MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/v1/orders");

        orders.MapPost("", (HttpRequest request, SymbolGateway gateway, CancellationToken ct) => ApiResults.Guard(async () =>
        {
            var member = MemberAccess.Authenticate(request.HttpContext);
            using var body = await JsonBody.ReadObjectAsync(request, ct);
            var command = OrderRequests.ParsePlace(body.RootElement, gateway.Instruments);
            MemberAccess.Require(member, command.Account);
            return ApiResults.OrderReply(await gateway.AskAsync(command, ct), gateway);
        }));

        orders.MapPost("/lookup", (HttpRequest request, SymbolGateway gateway, CancellationToken ct) => ApiResults.Guard(async () =>
        {
            var member = MemberAccess.Authenticate(request.HttpContext);
            using var body = await JsonBody.ReadObjectAsync(request, ct);
            var keys = OrderRequests.ParseLookup(body.RootElement, gateway.Instruments);
            foreach (var k in keys) MemberAccess.Require(member, k.Account);
            var replies = await Task.WhenAll(keys.Select(k => gateway.AskAsync(new GetOrder(k.Symbol, k.Account, k.ClientOrderId), ct)));
            return Results.Bytes(ApiJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("orders");
                for (var i = 0; i < replies.Length; i++)
                {
                    if (replies[i] is OrderReport report)
                    {
                        ApiJson.WriteReport(w, report, gateway.Instruments[report.Symbol]);
                        continue;
                    }
                    // Same keys as a report, so a reader can treat both alike.
                    w.WriteStartObject();
                    w.WriteNumber("orderId", 0);
                    w.WriteString("account", keys[i].Account);
                    w.WriteString("clientOrderId", keys[i].ClientOrderId);
                    w.WriteString("symbol", keys[i].Symbol);
                    w.WriteString("status", "unknown");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }), "application/json");
        }));

        orders.MapGet("/{account}/{clientOrderId}", (string account, string clientOrderId, string? symbol, HttpContext context, SymbolGateway gateway,
            CancellationToken ct) => ApiResults.Guard(async () =>
        {
            MemberAccess.Authorize(context, account);
            var report = await FindOneAsync(gateway, account, clientOrderId, symbol, ct);
            return ApiResults.OrderReply(report, gateway);
        }));

        orders.MapDelete("/{account}/{clientOrderId}", (string account, string clientOrderId, string? symbol, HttpContext context, SymbolGateway gateway,
            CancellationToken ct) => ApiResults.Guard(async () =>
        {
            MemberAccess.Authorize(context, account);
            var report = await FindOneAsync(gateway, account, clientOrderId, symbol, ct);
            return ApiResults.OrderReply(await gateway.AskAsync(new CancelClientOrder(report.Symbol, report.Account, report.ClientOrderId), ct), gateway);
        }));

        orders.MapPost("/{account}/{clientOrderId}/amend", (string account, string clientOrderId, string? symbol, HttpRequest request,
            SymbolGateway gateway, CancellationToken ct) => ApiResults.Guard(async () =>
        {
            MemberAccess.Authorize(request.HttpContext, account);
            using var body = await JsonBody.ReadObjectAsync(request, ct);
            var report = await FindOneAsync(gateway, account, clientOrderId, symbol, ct);
            var (price, quantity) = OrderRequests.ParseAmend(body.RootElement, gateway.Instruments[report.Symbol]);
            var reply = await gateway.AskAsync(new AmendClientOrder(report.Symbol, report.Account, report.ClientOrderId, price, quantity), ct);
            return ApiResults.OrderReply(reply, gateway);
        }));
    }

    private static async Task<OrderReport> FindOneAsync(SymbolGateway gateway, string account, string clientOrderId, string? symbol, CancellationToken ct)
    {
        OrderRequests.Account(account);
        OrderRequests.ClientOrderId(clientOrderId);
        var found = await gateway.FindOrderAsync(account, clientOrderId, symbol, ct);
        return found.Count switch
        {
            0 => throw new ApiRequestException(404, "unknown order"),
            1 => found[0],
            _ => throw new ApiRequestException(409, $"clientOrderId used on {found.Count} symbols; name one with ?symbol="),
        };
    }
}
