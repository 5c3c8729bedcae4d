using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using AkkaExchange.Messages;
using AkkaExchange.Node.Security;

namespace AkkaExchange.Node.Api;

/// <summary>
/// <c>/ws/v1/orders</c>: the pipelined order-entry session. A client sends requests without waiting for answers —
/// <c>{"op":"place", …the POST /api/v1/orders fields}</c>, <c>{"op":"cancel","account","clientOrderId","symbol"}</c>,
/// <c>{"op":"amend","account","clientOrderId","symbol","price"?,"quantity"?}</c> — and receives, in completion order,
/// <c>{"type":"report","report":{…}}</c> after the journal commit, or <c>{"type":"error","clientOrderId","status","error"}</c>
/// where status is the HTTP status the same request would have had (4xx: refused, 5xx: failed, may be retried).
/// Completion order is not request order: a report's <c>version</c> (<see cref="OrderReport.Version"/>) tells which of
/// two reports of one order is newer.
/// <para>
/// Framing: a text frame holds one JSON message, or several separated by newlines (NDJSON). The server packs
/// the answers that are ready together into one frame, which saves a system call per answer under load;
/// clients may do the same with their requests. At most <see cref="MaxInFlight"/> requests per session are in
/// progress or answered but not yet sent; further reads wait. A client that sends without reading its answers is
/// therefore stopped by back-pressure (TCP fills, the node stops reading) with a bounded queue: nothing it was
/// told is dropped, and its memory stays bounded.
/// </para>
/// </summary>
public static class OrderEntrySocket
{
    public const int MaxInFlight = 10_000;
    public const int MaxFrameBytes = 1024 * 1024;
    public const int MaxMessageBytes = 64 * 1024;
    private const int PackBytes = 60 * 1024;

    public static void MapOrderEntrySocket(this IEndpointRouteBuilder app) =>
        app.Map("/ws/v1/orders", async (HttpContext context, SymbolGateway gateway, SessionLimits limits) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await ApiResults.Error(400, "expected a WebSocket request").ExecuteAsync(context);
                return;
            }
            string? member = null;
            using var slot = await limits.AdmitAsync(context, () =>
            {
                MemberAccess.RequireSameOrigin(context);
                member = MemberAccess.Authenticate(context);
            });
            if (slot is null) return;
            await RunAsync(context, member, gateway, limits.NewBucket());
        });

    private static async Task RunAsync(HttpContext context, string? member, SymbolGateway gateway, SessionLimits.RateBucket rate)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        var inFlight = new SemaphoreSlim(MaxInFlight, MaxInFlight);
        var writer = WriteAsync(socket, outgoing.Reader, inFlight, context.RequestAborted);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(MaxFrameBytes);
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
                    await inFlight.WaitAsync(context.RequestAborted);
                    outgoing.Writer.TryWrite(Error(null, e.Status, e.Message));
                    break;
                }
                if (length is null) break;
                ReadOnlyMemory<byte> frame = buffer.AsMemory(0, length.Value);
                while (!frame.IsEmpty)
                {
                    var end = frame.Span.IndexOf((byte)'\n');
                    var message = end < 0 ? frame : frame[..end];
                    frame = end < 0 ? ReadOnlyMemory<byte>.Empty : frame[(end + 1)..];
                    if (message.Span.Trim((byte)'\r').IsEmpty) continue;
                    await inFlight.WaitAsync(context.RequestAborted);
                    if (!rate.TryTake())
                    {
                        outgoing.Writer.TryWrite(Error(null, 429, $"rate limit: at most {rate.PerSecond} messages a second per session"));
                        continue;
                    }
                    Handle(message, member, gateway, outgoing.Writer);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        // Let the requests in progress finish so their reports still reach the client.
        for (var i = 0; i < MaxInFlight; i++)
            if (!await inFlight.WaitAsync(TimeSpan.FromSeconds(30))) break;
        outgoing.Writer.TryComplete();
        await writer;
        await WebSocketText.CloseAsync(context, socket, WebSocketCloseStatus.NormalClosure, "bye");
    }

    /// <summary>Every message gets exactly one answer on <paramref name="outgoing"/>: the writer counts them back into the window.</summary>
    private static void Handle(ReadOnlyMemory<byte> message, string? member, SymbolGateway gateway, ChannelWriter<byte[]> outgoing)
    {
        IWithSymbol command;
        string? clientOrderId = null;
        try
        {
            if (message.Length > MaxMessageBytes) throw new ApiRequestException(400, $"message larger than {MaxMessageBytes} bytes");
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
            MemberAccess.Require(member, command switch
            {
                PlaceOrder p => p.Account,
                CancelClientOrder c => c.Account,
                AmendClientOrder a => a.Account,
                _ => throw new System.Diagnostics.UnreachableException(command.GetType().Name),
            });
        }
        catch (ApiRequestException e)
        {
            outgoing.TryWrite(Error(clientOrderId, e.Status, e.Message));
            return;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            // Whatever reading one message throws is that message's error, never the end of the session.
            outgoing.TryWrite(Error(clientOrderId, 400, $"malformed request ({e.GetType().Name})"));
            return;
        }
        _ = AskAsync(command, clientOrderId, gateway, outgoing);
    }

    // Its place in the session's window is given back by the writer once the answer is sent.
    private static async Task AskAsync(IWithSymbol command, string? clientOrderId, SymbolGateway gateway, ChannelWriter<byte[]> outgoing)
    {
        try
        {
            var reply = await gateway.AskAsync(command, CancellationToken.None);
            outgoing.TryWrite(reply switch
            {
                OrderReport r => Report(r, gateway),
                CommandRejected c => Error(clientOrderId, ApiResults.StatusOf(c.Reason), RejectReasonText.Of(c.Reason)),
                _ => Error(clientOrderId, 500, "unexpected reply"),
            });
        }
        catch (ApiRequestException e)
        {
            outgoing.TryWrite(Error(clientOrderId, e.Status, e.Message));
        }
        catch (Exception e)
        {
            // Still one answer per request: the session's window counts on it.
            outgoing.TryWrite(Error(clientOrderId, 500, $"request failed ({e.GetType().Name}); it may be retried"));
        }
    }

    private static byte[] Error(string? clientOrderId, int status, string error) => ApiJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        if (clientOrderId is null) w.WriteNull("clientOrderId"); else w.WriteString("clientOrderId", clientOrderId);
        w.WriteNumber("status", status);
        w.WriteString("error", error);
        w.WriteEndObject();
    });

    private static byte[] Report(OrderReport r, SymbolGateway gateway) => ApiJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "report");
        w.WritePropertyName("report");
        ApiJson.WriteReport(w, r, gateway.Instruments[r.Symbol]);
        w.WriteEndObject();
    });

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

    /// <summary>Sends the answers, packing those already waiting into one frame (newline-separated).</summary>
    private static async Task WriteAsync(WebSocket socket, ChannelReader<byte[]> outgoing, SemaphoreSlim inFlight, CancellationToken cancellation)
    {
        var frame = new byte[PackBytes + MaxMessageBytes];
        try
        {
            while (await outgoing.WaitToReadAsync(CancellationToken.None))
            {
                var length = 0;
                var count = 0;
                while (length < PackBytes && outgoing.TryRead(out var message))
                {
                    count++;
                    if (length > 0) frame[length++] = (byte)'\n';
                    if (length + message.Length > frame.Length) Array.Resize(ref frame, length + message.Length);
                    message.CopyTo(frame, length);
                    length += message.Length;
                }
                await socket.SendAsync(frame.AsMemory(0, length), WebSocketMessageType.Text, true, cancellation);
                inFlight.Release(count);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away; what is left to send is dropped (its effects are journaled and can be queried).
            // Its places are given back so the session can end.
            _ = DrainAsync(outgoing, inFlight);
        }
    }

    private static async Task DrainAsync(ChannelReader<byte[]> outgoing, SemaphoreSlim inFlight)
    {
        await foreach (var _ in outgoing.ReadAllAsync()) inFlight.Release();
    }
}
