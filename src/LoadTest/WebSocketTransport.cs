using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace AkkaExchange.LoadTest;

/// <summary>
/// Pipelined order-entry sessions (<c>/ws/v1/orders</c>): <c>connectionsPerUrl</c> WebSockets per node, each with
/// its own send queue, requests written without waiting for answers, answers read as they come. Requests that
/// are queued together go out in one frame, newline-separated, as the session allows; answers come the same way.
/// </summary>
public sealed class WebSocketTransport(IReadOnlyList<Uri> urls, int connectionsPerUrl, Action<ReportFrame> onFrame, Action<Exception> onFailure)
    : IOrderTransport
{
    private sealed record Connection(ClientWebSocket Socket, Channel<string> Outgoing);

    private readonly List<Connection> _connections = new();
    private readonly List<Task> _loops = new();
    private readonly CancellationTokenSource _closing = new();

    public async Task ConnectAsync(CancellationToken cancellation)
    {
        foreach (var url in urls)
        {
            for (var i = 0; i < connectionsPerUrl; i++)
            {
                var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
                var ws = new UriBuilder(url) { Scheme = url.Scheme == "https" ? "wss" : "ws", Path = "/ws/v1/orders" }.Uri;
                await socket.ConnectAsync(ws, cancellation);
                var c = new Connection(socket, Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true }));
                _connections.Add(c);
                _loops.Add(Task.Run(() => SendLoopAsync(c)));
                _loops.Add(Task.Run(() => ReceiveLoopAsync(c)));
            }
        }
    }

    public void Send(int lane, OutgoingOrder order) => _connections[lane % _connections.Count].Outgoing.Writer.TryWrite(order.WebSocketJson);

    private async Task SendLoopAsync(Connection c)
    {
        const int pack = 60 * 1024;
        var buffer = new byte[pack + 64 * 1024];
        var reader = c.Outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_closing.Token))
            {
                var length = 0;
                while (length < pack && reader.TryRead(out var json))
                {
                    if (length > 0) buffer[length++] = (byte)'\n';
                    length += Encoding.UTF8.GetBytes(json, buffer.AsSpan(length));
                }
                await c.Socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, true, _closing.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            if (!_closing.IsCancellationRequested) onFailure(e);
        }
    }

    private async Task ReceiveLoopAsync(Connection c)
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await c.Socket.ReceiveAsync(buffer.AsMemory(length), _closing.Token);
                    length += r.Count;
                }
                while (!r.EndOfMessage && length < buffer.Length);
                if (r.MessageType == WebSocketMessageType.Close) break;
                ReadOnlyMemory<byte> rest = buffer.AsMemory(0, length);
                while (!rest.IsEmpty)
                {
                    var end = rest.Span.IndexOf((byte)'\n');
                    var message = end < 0 ? rest : rest[..end];
                    rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
                    if (!message.IsEmpty && FrameParser.WebSocketMessage(message) is { } frame) onFrame(frame);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            if (!_closing.IsCancellationRequested) onFailure(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        foreach (var c in _connections)
        {
            c.Outgoing.Writer.TryComplete();
            try
            {
                if (c.Socket.State == WebSocketState.Open)
                    await c.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
            {
            }
            c.Socket.Dispose();
        }
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }
}
