using System.Net.WebSockets;
using AkkaExchange.Messages;
using AkkaExchange.Node.MarketData;
using AkkaExchange.Node.Security;

namespace AkkaExchange.Node.Api;

/// <summary>
/// <c>/ws/v1/marketdata?symbols=A,B</c>: a snapshot per symbol on subscribe, then trade and book updates.
/// Every message carries the symbol's journal <c>sequence</c>, updates also <c>previousSequence</c>: a client whose
/// last seen sequence differs from an update's previousSequence has missed something and should resubscribe.
/// </summary>
public static class MarketDataSocket
{
    public static void MapMarketDataSocket(this IEndpointRouteBuilder app) =>
        app.Map("/ws/v1/marketdata", async (HttpContext context, SymbolGateway gateway, MarketDataHub hub, AkkaExchange.Node.Hosting.NodeSettings settings, SessionLimits limits) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await ApiResults.Error(400, "expected a WebSocket request").ExecuteAsync(context);
                return;
            }
            string[] symbols;
            try
            {
                gateway.EnsureServing();
                symbols = context.Request.Query["symbols"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(s => OrderRequests.Instrument(s, gateway.Instruments).Symbol).Distinct().ToArray();
                if (symbols.Length == 0) throw new ApiRequestException(400, "name the symbols: ?symbols=AAPL,MSFT");
            }
            catch (ApiRequestException e)
            {
                await ApiResults.Error(e.Status, e.Message).ExecuteAsync(context);
                return;
            }
            // Market data is public, but a page on another site may not read it through the user's network position.
            using var slot = await limits.AdmitAsync(context, () => MemberAccess.RequireSameOrigin(context));
            if (slot is null) return;
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            _ = DrainIncomingAsync(socket, closing);
            using var sender = new TimedSender(socket, context, closing.Token);
            var seen = new Dictionary<string, long>(StringComparer.Ordinal);
            try
            {
                // Subscribed first, then each snapshot through the topic: every update after a snapshot reaches this session.
                using var subscription = await hub.SubscribeAsync(symbols, closing.Token);
                foreach (var symbol in symbols)
                {
                    var view = await hub.SnapshotAsync(symbol, settings.Options.RequestTimeout, closing.Token);
                    seen[symbol] = view.Sequence;
                    var book = ApiJson.Book(view, gateway.Instruments[symbol]);
                    await sender.SendAsync(new { type = "snapshot", book });
                }
                await foreach (var update in subscription.Updates.ReadAllAsync(closing.Token))
                {
                    // Updates queued while the snapshot was taken may already be in it: those chained from before it.
                    // (Not "sequence <= seen": the book update after a trade carries the trade's sequence, and must pass.
                    // The snapshot's own book update may pass again: it repeats the snapshot's book, chained from it.)
                    if (update.PreviousSequence < seen[update.Symbol]) continue;
                    seen[update.Symbol] = update.Sequence;
                    await sender.SendAsync(ApiJson.Update(update, gateway.Instruments[update.Symbol]));
                }
            }
            catch (SlowConsumerException e)
            {
                await WebSocketText.CloseAsync(context, socket, WebSocketCloseStatus.PolicyViolation, e.Message[..Math.Min(e.Message.Length, 120)]);
                return;
            }
            catch (TimeoutException)
            {
                await WebSocketText.CloseAsync(context, socket, WebSocketCloseStatus.InternalServerError, "no snapshot in time; reconnect");
                return;
            }
            catch (OperationCanceledException)
            {
            }
            catch (WebSocketException)
            {
                return;
            }
            await WebSocketText.CloseAsync(context, socket, WebSocketCloseStatus.NormalClosure, "bye");
        });

    /// <summary>The client sends nothing but its close; reading notices it and ends the session.</summary>
    internal static async Task DrainIncomingAsync(WebSocket socket, CancellationTokenSource closing)
    {
        var buffer = new byte[1024];
        try
        {
            while (!closing.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, closing.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        await closing.CancelAsync();
    }
}
