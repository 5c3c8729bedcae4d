using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AkkaExchange.Messages.Diagnostics;

namespace AkkaExchange.Bench;

/// <summary>
/// One order-entry WebSocket session driven with a fixed window of requests in flight (closed loop): as each
/// report arrives, the next order goes out. Latency is request to report, in microseconds.
/// </summary>
internal sealed class PipelinedClient(Uri node, int window, string[] symbols, int seed)
{
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<string, long> _sentAt = new();
    private readonly Random _rng = new(seed);
    private readonly LatencyHistogram _latency = new();
    private long _n;

    public LatencyHistogram Latency => _latency;
    public long Completed { get; private set; }
    public long Failed { get; private set; }
    public bool Measuring { get; set; }

    public async Task RunAsync(CancellationToken stop)
    {
        await _socket.ConnectAsync(new UriBuilder(node) { Scheme = "ws", Path = "/ws/v1/orders" }.Uri, CancellationToken.None);
        await SendAsync(window);
        var buffer = new byte[1024 * 1024];
        while (!stop.IsCancellationRequested)
        {
            var length = 0;
            ValueWebSocketReceiveResult r;
            do
            {
                r = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += r.Count;
            }
            while (!r.EndOfMessage);
            var answered = 0;
            foreach (var line in Encoding.UTF8.GetString(buffer, 0, length).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var id = root.GetProperty("type").GetString() == "report"
                    ? root.GetProperty("report").GetProperty("clientOrderId").GetString()!
                    : root.GetProperty("clientOrderId").GetString() ?? "";
                if (root.GetProperty("type").GetString() != "report") Failed++;
                if (!_sentAt.Remove(id, out var sent)) continue;
                answered++;
                if (!Measuring) continue;
                Completed++;
                _latency.Record((long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds);
            }
            if (answered > 0 && !stop.IsCancellationRequested) await SendAsync(answered);
        }
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
    }

    private Task SendAsync(int count)
    {
        var frame = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var symbol = symbols[_rng.Next(symbols.Length)];
            var buy = _rng.Next(2) == 0;
            var price = 100m + (buy ? 1 : -1) * _rng.Next(-3, 6) / 100m;
            var id = $"{seed}-{++_n}";
            if (frame.Length > 0) frame.Append('\n');
            frame.Append($$"""{"op":"place","account":"BD{{seed % 100:000}}-C{{_n % 100:000}}","clientOrderId":"{{id}}","symbol":"{{symbol}}","side":"{{(buy ? "buy" : "sell")}}","price":"{{price:0.00}}","quantity":{{_rng.Next(1, 100)}},"timeInForce":"{{(_rng.Next(10) == 0 ? "ioc" : "gtc")}}"}""");
            _sentAt[id] = Stopwatch.GetTimestamp();
        }
        return _socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToString()), WebSocketMessageType.Text, true, CancellationToken.None);
    }
}
