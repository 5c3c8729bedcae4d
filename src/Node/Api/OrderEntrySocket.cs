using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using AkkaExchange.Messages;

namespace AkkaExchange.Node.Api;

/// <summary>
/// <c>/ws/v1/orders</c>: the pipelined order-entry session. A client sends JSON text messages without waiting
/// for answers — <c>{"op":"place", …the POST /api/v1/orders fields}</c>, <c>{"op":"cancel","account","clientOrderId","symbol"}</c>,
/// <c>{"op":"amend","account","clientOrderId","symbol","price"?,"quantity"?}</c> — and receives, in completion order,
/// <c>{"type":"report","report":{…}}</c> after the journal commit, or <c>{"type":"error","clientOrderId","status","error"}</c>
/// where status is the HTTP status the same request would have had (4xx: refused, 5xx: failed, may be retried).
/// At most <see cref="MaxInFlight"/> requests per session are in progress; further reads wait.
/// </summary>
public static class OrderEntrySocket
{
    public const int MaxInFlight = 10_000;
    public const int MaxMessageBytes = 64 * 1024;

    public static void MapOrderEntrySocket(this IEndpointRouteBuilder app) =>
        app.Map("/ws/v1/orders", async (HttpContext context, SymbolGateway gateway) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await ApiResults.Error(400, "expected a WebSocket request").ExecuteAsync(context);
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var outgoing = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
            var writer = WriteAsync(socket, outgoing.Reader, context.RequestAborted);
            var inFlight = new SemaphoreSlim(MaxInFlight, MaxInFlight);
            var buffer = new byte[MaxMessageBytes];
            try
            {
                while (true)
                {
                    int? length;
                    try
                    {
                        length = await WebSocketText.ReceiveAsync(socket, buffer, context.RequestAborted);
                    }
                    catch (ApiRequestException e)
                    {
                        outgoing.Writer.TryWrite(Error(null, e.Status, e.Message));
                        break;
                    }
                    if (length is null) break;
                    await inFlight.WaitAsync(context.RequestAborted);
                    Handle(buffer.AsMemory(0, length.Value), gateway, outgoing.Writer, inFlight, context.RequestAborted);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
            // Let the requests in progress finish so their reports still reach the client.
            for (var i = 0; i < MaxInFlight; i++)
                if (!await inFlight.WaitAsync(TimeSpan.FromSeconds(30))) break;
            outgoing.Writer.TryComplete();
            await writer;
            await WebSocketText.CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "bye");
        });

    private static void Handle(ReadOnlyMemory<byte> message, SymbolGateway gateway, ChannelWriter<object> outgoing, SemaphoreSlim inFlight,
        CancellationToken cancellation)
    {
        IWithSymbol command;
        string? clientOrderId = null;
        try
        {
            using var doc = JsonBody.Parse(message);
            var body = doc.RootElement;
            if (body.TryGetProperty("clientOrderId", out var id) && id.ValueKind == JsonValueKind.String) clientOrderId = id.GetString();
            var op = body.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            command = op switch
            {
                "place" => OrderRequests.ParsePlace(body, gateway.Instruments),
                "cancel" => Cancel(body, gateway),
                "amend" => Amend(body, gateway),
                _ => throw new ApiRequestException(400, "op must be place, cancel or amend"),
            };
        }
        catch (ApiRequestException e)
        {
            outgoing.TryWrite(Error(clientOrderId, e.Status, e.Message));
            inFlight.Release();
            return;
        }
        _ = AskAsync(command, clientOrderId, gateway, outgoing, inFlight, cancellation);
    }

    private static async Task AskAsync(IWithSymbol command, string? clientOrderId, SymbolGateway gateway, ChannelWriter<object> outgoing,
        SemaphoreSlim inFlight, CancellationToken cancellation)
    {
        try
        {
            var reply = await gateway.AskAsync(command, CancellationToken.None);
            outgoing.TryWrite(reply switch
            {
                OrderReport r => Report(r, gateway),
                CommandRejected c => Error(clientOrderId, c.Reason == RejectReason.UnknownOrder ? 404 : c.Reason == RejectReason.DuplicateClientOrderId ? 409 : 400,
                    RejectReasonText.Of(c.Reason)),
                _ => Error(clientOrderId, 500, "unexpected reply"),
            });
        }
        catch (ApiRequestException e)
        {
            outgoing.TryWrite(Error(clientOrderId, e.Status, e.Message));
        }
        finally
        {
            inFlight.Release();
        }
    }

    private static object Error(string? clientOrderId, int status, string error) => new { type = "error", clientOrderId, status, error };

    private static object Report(OrderReport r, SymbolGateway gateway) => new { type = "report", report = ApiJson.Report(r, gateway.Instruments[r.Symbol]) };

    private static CancelClientOrder Cancel(JsonElement body, SymbolGateway gateway)
    {
        var (account, clientOrderId, spec) = OrderRequests.ParseTarget(body, gateway.Instruments, amend: false);
        return new CancelClientOrder(spec.Symbol, account, clientOrderId);
    }

    private static AmendClientOrder Amend(JsonElement body, SymbolGateway gateway)
    {
        var (account, clientOrderId, spec) = OrderRequests.ParseTarget(body, gateway.Instruments, amend: true);
        var (price, quantity) = OrderRequests.ParseAmend(body, spec);
        return new AmendClientOrder(spec.Symbol, account, clientOrderId, price, quantity);
    }

    private static async Task WriteAsync(WebSocket socket, ChannelReader<object> outgoing, CancellationToken cancellation)
    {
        try
        {
            await foreach (var message in outgoing.ReadAllAsync(CancellationToken.None))
                await WebSocketText.SendAsync(socket, message, cancellation);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away; what is left to send is dropped (its effects are journaled and can be queried).
        }
    }
}
