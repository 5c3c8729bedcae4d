using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// Subscribers that stop reading are closed within the send timeout instead of holding a queue, buffers and a
/// subscription for nobody; the node and other subscribers carry on, and the subscriber resubscribes from a snapshot.
/// </summary>
public sealed class SlowReaderSpecs
{
    private const int Pairs = 40_000;

    /// <summary>
    /// A WebSocket over a TCP socket with a 4 KiB receive buffer (a <see cref="ClientWebSocket"/>'s the kernel lets grow
    /// to tens of MB on loopback). The node's send buffer still grows to ~4 MB, hence the 40,000 trades below (~9 MB of
    /// market data): measured with <c>ss -tmi</c>, a stalled session held 2.8 MB in the kernel.
    /// </summary>
    private static async Task<WebSocket> ConnectStalledAsync(int port, string pathAndQuery)
    {
        var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = new NetworkStream(tcp, ownsSocket: true);
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("closed during the handshake: " + head);
            head.Append((char)one[0]);
        }
        Assert.StartsWith("HTTP/1.1 101", head.ToString());
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
    }

    /// <summary>Reads until the node ends the session; returns how many messages came before it did.</summary>
    private static async Task<int> ReadUntilEndedAsync(WebSocket socket, TimeSpan within)
    {
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(within);
        var messages = 0;
        try
        {
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer, deadline.Token);
                if (r.MessageType == WebSocketMessageType.Close) return messages;
                if (r.EndOfMessage) messages++;
            }
        }
        catch (WebSocketException)
        {
            return messages; // aborted by the node: the stream ends without a close frame
        }
    }

    /// <summary>
    /// Rests ten price levels on each side of AAPL (so every book update carries twenty), then trades
    /// <see cref="Pairs"/> times between two accounts of BD050 inside the spread, reading every reply.
    /// </summary>
    private static async Task TradeAsync(NodeProcess node)
    {
        using var orders = new ClientWebSocket();
        await orders.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/ws/v1/orders"), CancellationToken.None);
        async Task SendAsync(IEnumerable<string> messages)
        {
            var lines = messages.ToArray();
            await orders.SendAsync(Encoding.UTF8.GetBytes(string.Join('\n', lines)), WebSocketMessageType.Text, true, CancellationToken.None);
            for (var answered = 0; answered < lines.Length;)
                answered += Encoding.UTF8.GetString(await WebSocketJson.ReceiveFrameAsync(orders)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }
        await SendAsync(Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            $$"""{"op":"place","account":"BD050-C003","clientOrderId":"rb-{{i}}","symbol":"AAPL","side":"buy","price":"0.9{{i}}","quantity":1}""",
            $$"""{"op":"place","account":"BD050-C003","clientOrderId":"rs-{{i}}","symbol":"AAPL","side":"sell","price":"1.1{{i}}","quantity":1}""",
        }));
        // Small frames, every reply read: the symbol commits many small rows, and so publishes many book updates.
        const int pairsPerFrame = 200;
        for (var f = 0; f < Pairs / pairsPerFrame; f++)
            await SendAsync(Enumerable.Range(f * pairsPerFrame, pairsPerFrame).SelectMany(i => new[]
            {
                $$"""{"op":"place","account":"BD050-C001","clientOrderId":"b-{{i}}","symbol":"AAPL","side":"buy","price":"1.05","quantity":1}""",
                $$"""{"op":"place","account":"BD050-C002","clientOrderId":"s-{{i}}","symbol":"AAPL","side":"sell","price":"1.05","quantity":1}""",
            }));
    }

    [Fact]
    public async Task Market_data_and_settlement_sessions_that_do_not_read_are_closed_and_a_new_subscription_starts_from_a_snapshot()
    {
        await using var node = await NodeProcess.StartAsync(RepositoryPaths.TempDirectory("slow-reader"), ["--data-dir", "data", "--symbols", "AAPL"]);
        using var market = await ConnectStalledAsync(node.Port, "/ws/v1/marketdata?symbols=AAPL");
        using var settlements = await ConnectStalledAsync(node.Port, "/ws/v1/accounts/BD050-C001/settlements?after=0");
        using var reader = new ClientWebSocket();
        await reader.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/ws/v1/marketdata?symbols=AAPL"), CancellationToken.None);
        var received = 0;
        using var stopReading = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[256 * 1024];
            while (!stopReading.IsCancellationRequested)
                if ((await reader.ReceiveAsync(buffer, stopReading.Token)).EndOfMessage) received++;
        });

        await TradeAsync(node);
        // Well past the send timeout (10 s): the stalled sessions have been given up on by now.
        await Task.Delay(TimeSpan.FromSeconds(20));

        // Each stalled session holds what its buffers took, then ends: far fewer messages than the trades made.
        var marketMessages = await ReadUntilEndedAsync(market, TimeSpan.FromSeconds(30));
        var settlementMessages = await ReadUntilEndedAsync(settlements, TimeSpan.FromSeconds(30));
        Assert.InRange(marketMessages, 1, Pairs - 1);
        Assert.InRange(settlementMessages, 0, Pairs - 1);

        // A subscriber that kept reading is still served, and stayed up throughout.
        Assert.Equal(WebSocketState.Open, reader.State);
        Assert.True(received > Pairs, $"the reading subscriber got {received} messages for {Pairs} trades");
        await stopReading.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);

        // The cut-off subscriber resubscribes and starts again from the book as it is now.
        using var again = new ClientWebSocket();
        await again.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/ws/v1/marketdata?symbols=AAPL"), CancellationToken.None);
        var snapshot = await WebSocketJson.ReceiveAsync(again);
        Assert.Equal("snapshot", snapshot.GetProperty("type").GetString());
        using var book = JsonDocument.Parse(await node.Http.GetStringAsync("/api/v1/books/AAPL?depth=1"));
        Assert.Equal(book.RootElement.GetProperty("sequence").GetInt64(), snapshot.GetProperty("book").GetProperty("sequence").GetInt64());
    }
}
