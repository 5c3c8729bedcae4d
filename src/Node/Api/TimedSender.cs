using System.Net.WebSockets;
using System.Text.Json;

namespace AkkaExchange.Node.Api;

/// <summary>
/// Sends a session's JSON frames, each within <see cref="SendTimeout"/>. A client that stops reading fills its TCP
/// window and the send stalls; the connection is then aborted (the send throws <see cref="OperationCanceledException"/>)
/// instead of keeping its queue, its buffers and a subscription alive for nobody. One timer source per session,
/// re-armed for each send, so sending allocates no timer.
/// </summary>
public sealed class TimedSender(WebSocket socket, HttpContext connection, CancellationToken closing) : IDisposable
{
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _deadline = CancellationTokenSource.CreateLinkedTokenSource(closing);

    public async Task SendAsync(object payload)
    {
        _deadline.CancelAfter(SendTimeout);
        try
        {
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(payload, ApiJson.Options), WebSocketMessageType.Text, true, _deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // A send cut short (timed out, or the session ended) has aborted the WebSocket, which leaves the TCP
            // connection to the server; the server would then wait to flush bytes this client is not reading. The
            // connection goes too, and with it the buffers it holds here.
            connection.Abort();
            throw;
        }
        // False once cancelled: the next send then fails at once, which is what a dead session should do.
        _deadline.TryReset();
    }

    public void Dispose() => _deadline.Dispose();
}
