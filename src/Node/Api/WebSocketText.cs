using System.Net.WebSockets;
using System.Text.Json;

namespace AkkaExchange.Node.Api;

/// <summary>Text-frame helpers for the JSON WebSocket sessions.</summary>
public static class WebSocketText
{
    /// <summary>Reads one whole message into <paramref name="buffer"/>; null when the peer closed; throws when it exceeds the buffer.</summary>
    public static async Task<int?> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellation)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length) throw new ApiRequestException(400, $"message larger than {buffer.Length} bytes");
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellation);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            length += result.Count;
            if (result.EndOfMessage) return length;
        }
    }

    /// <summary>How long a close may wait for a client to take the close frame and answer it.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Closes the session with a close frame when the client takes it within <see cref="CloseTimeout"/>; otherwise
    /// (a client that does not read) aborts the connection, so a session never outlives its client by more than that.
    /// </summary>
    public static async Task CloseAsync(HttpContext connection, WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseAsync(status, reason, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            connection.Abort();
        }
        catch (WebSocketException)
        {
            // The peer is already gone.
        }
    }
}
