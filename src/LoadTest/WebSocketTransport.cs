using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using AkkaExchange.Messages;

namespace AkkaExchange.LoadTest;

/// <summary>
/// Pipelined order-entry sessions (<c>/ws/v1/orders</c>): <c>connectionsPerUrl</c> lanes per node, each with its own
/// send queue, requests written without waiting for answers (queued ones packed into one frame, newline-separated),
/// answers read as they come. A lane whose connection drops (its node died) reconnects to the next URL and sends
/// again every request still unanswered: order entry is idempotent by clientOrderId, so a repeat finds the original.
/// A lane that is refused because its node's region is not active (<see cref="RegionRefusal"/>) moves on the same way,
/// so with the regions' nodes as the URLs the clients follow the active region through a failover or a rotation; a
/// request refused while the node's symbols recover (<see cref="Recovering"/>) is sent again on the same lane shortly.
/// With member keys (one per broker) each broker has a lane of its own per node, authenticated with its key, since
/// a member may act only for its own accounts.
/// </summary>
public sealed class WebSocketTransport(IReadOnlyList<Uri> urls, int connectionsPerUrl, string[]? brokerKeys, Action<ReportFrame> onFrame, Action<Exception> onFailure)
    : IOrderTransport
{
    private sealed class Lane(int home, string? key)
    {
        public int Url = home;
        public readonly string? Key = key;
        public readonly Channel<string> Outgoing = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        public readonly ConcurrentDictionary<string, string> Unanswered = new(StringComparer.Ordinal);
        public ClientWebSocket? Socket;
    }

    private static readonly TimeSpan RecoveringPause = TimeSpan.FromMilliseconds(200);
    private readonly List<Lane> _lanes = new();
    private readonly List<Task> _loops = new();
    private readonly CancellationTokenSource _closing = new();
    public async Task ConnectAsync(CancellationToken cancellation)
    {
        // Keyed: broker-major, so broker b's lanes are b * urls.Count … + urls.Count - 1.
        var plan = brokerKeys is null
            ? Enumerable.Range(0, urls.Count).SelectMany(u => Enumerable.Repeat((Url: u, Key: (string?)null), connectionsPerUrl))
            : brokerKeys.SelectMany(key => Enumerable.Range(0, urls.Count).Select(u => (Url: u, Key: (string?)key)));
        foreach (var (url, key) in plan)
        {
            var lane = new Lane(url, key);
            lane.Socket = await OpenFirstAsync(lane, urls, cancellation);
            _lanes.Add(lane);
            _loops.Add(Task.Run(() => RunLaneAsync(lane)));
        }
    }

    private int _spread;

    public void Send(int lane, OutgoingOrder order)
    {
        var l = brokerKeys is null
            ? _lanes[lane % _lanes.Count]
            : _lanes[lane * urls.Count + (int)((uint)Interlocked.Increment(ref _spread) % (uint)urls.Count)];
        l.Unanswered[order.ClientOrderId] = order.WebSocketJson;
        l.Outgoing.Writer.TryWrite(order.WebSocketJson);
    }

    // A node that is down when the run starts (a chaos test may have killed it) sends its lanes to the next node;
    // only when no node answers does the run fail.
    private static async Task<ClientWebSocket> OpenFirstAsync(Lane lane, IReadOnlyList<Uri> urls, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await OpenAsync(urls[lane.Url], lane.Key, cancellation);
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException && attempt < urls.Count)
            {
                lane.Url = (lane.Url + 1) % urls.Count;
            }
        }
    }

    private static async Task<ClientWebSocket> OpenAsync(Uri url, string? key, CancellationToken cancellation)
    {
        var socket = new ClientWebSocket();
        if (key is not null) socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        var ws = new UriBuilder(url) { Scheme = url.Scheme == "https" ? "wss" : "ws", Path = "/ws/v1/orders" }.Uri;
        await socket.ConnectAsync(ws, cancellation);
        return socket;
    }

    private async Task RunLaneAsync(Lane lane)
    {
        while (!_closing.IsCancellationRequested)
        {
            var socket = lane.Socket!;
            using var lost = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
            var sending = SendLoopAsync(socket, lane.Outgoing.Reader, lost.Token);
            var refused = await ReceiveLoopAsync(socket, lane);
            await lost.CancelAsync();
            await sending;
            socket.Dispose();
            if (_closing.IsCancellationRequested) return;
            onFailure(new WebSocketException(refused
                ? $"{urls[lane.Url]}'s region does not take orders; moving to the next URL with {lane.Unanswered.Count} unanswered requests"
                : $"connection to {urls[lane.Url]} lost; reconnecting and re-sending {lane.Unanswered.Count} unanswered requests (those never answered count as errors)"));
            lane.Socket = await ReconnectAsync(lane);
            if (lane.Socket is null) return;
            // Re-send what was never answered; queued requests follow in the same channel.
            foreach (var json in lane.Unanswered.Values) lane.Outgoing.Writer.TryWrite(json);
        }
    }

    private async Task<ClientWebSocket?> ReconnectAsync(Lane lane)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!_closing.IsCancellationRequested)
        {
            lane.Url = (lane.Url + 1) % urls.Count;
            try
            {
                return await OpenAsync(urls[lane.Url], lane.Key, _closing.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                try
                {
                    await Task.Delay(delay, _closing.Token);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1_000));
            }
        }
        return null;
    }

    private static async Task SendLoopAsync(ClientWebSocket socket, ChannelReader<string> reader, CancellationToken cancellation)
    {
        const int pack = 60 * 1024;
        var buffer = new byte[pack + 64 * 1024];
        try
        {
            while (await reader.WaitToReadAsync(cancellation))
            {
                var length = 0;
                while (length < pack && reader.TryRead(out var json))
                {
                    if (length > 0) buffer[length++] = (byte)'\n';
                    length += Encoding.UTF8.GetBytes(json, buffer.AsSpan(length));
                }
                await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, true, cancellation);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // What was taken from the queue but not sent is still in Unanswered: it goes again after reconnecting.
        }
    }

    private async Task SendAgainLaterAsync(Lane lane, string clientOrderId)
    {
        try
        {
            await Task.Delay(RecoveringPause, _closing.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (lane.Unanswered.TryGetValue(clientOrderId, out var json)) lane.Outgoing.Writer.TryWrite(json);
    }

    /// <summary>Reads answers until the connection ends; true when the lane leaves because the node's region refused.</summary>
    private async Task<bool> ReceiveLoopAsync(ClientWebSocket socket, Lane lane)
    {
        var buffer = new byte[1024 * 1024];
        var moving = false;
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await socket.ReceiveAsync(buffer.AsMemory(length), _closing.Token);
                    length += r.Count;
                }
                while (!r.EndOfMessage && length < buffer.Length);
                if (r.MessageType == WebSocketMessageType.Close) return false;
                ReadOnlyMemory<byte> rest = buffer.AsMemory(0, length);
                while (!rest.IsEmpty)
                {
                    var end = rest.Span.IndexOf((byte)'\n');
                    var message = end < 0 ? rest : rest[..end];
                    rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
                    if (message.IsEmpty || FrameParser.WebSocketMessage(message) is not { } frame) continue;
                    if (frame.Status == "error" && RegionRefusal.Is(frame.Error))
                    {
                        // A standby region: the request stays unanswered, and the lane moves on to the next URL.
                        moving = true;
                        continue;
                    }
                    if (frame.Status == "error" && frame.Error == Recovering.Text)
                    {
                        // The node's symbols are recovering (it just started, or its region just took over): again shortly.
                        _ = SendAgainLaterAsync(lane, frame.ClientOrderId);
                        continue;
                    }
                    lane.Unanswered.TryRemove(frame.ClientOrderId, out _);
                    onFrame(frame);
                }
                if (moving) return true;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        foreach (var lane in _lanes)
        {
            lane.Outgoing.Writer.TryComplete();
            try
            {
                if (lane.Socket is { State: WebSocketState.Open } s)
                    await s.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException or ObjectDisposedException)
            {
            }
            lane.Socket?.Dispose();
        }
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }
}
