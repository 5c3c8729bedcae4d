using System.Net.WebSockets;
using System.Text.Json;

namespace AkkaExchange.Node.Tests;

/// <summary>Reading whole JSON messages from a test's WebSocket, with a timeout so a missing message fails the test.</summary>
internal static class WebSocketJson
{
    /// <summary>The next whole frame, raw.</summary>
    public static async Task<byte[]> ReceiveFrameAsync(WebSocket socket)
    {
        var buffer = new byte[256 * 1024];
        var length = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var r = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += r.Count;
            if (r.EndOfMessage) return buffer[..length];
        }
    }

    /// <summary>The next frame as one JSON message.</summary>
    public static async Task<JsonElement> ReceiveAsync(WebSocket socket) => JsonDocument.Parse(await ReceiveFrameAsync(socket)).RootElement.Clone();
}
