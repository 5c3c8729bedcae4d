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

    public static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseAsync(status, reason, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The peer is already gone.
        }
    }
}
