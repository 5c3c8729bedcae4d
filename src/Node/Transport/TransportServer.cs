using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;

namespace AkkaExchange.Node.Transport;

/// <summary>
/// Accepts connections from the other nodes of the cluster (authenticated by the cluster secret) and answers the
/// symbol requests they forward, from this node's own symbols only — a forwarded request is never forwarded again.
/// </summary>
public sealed class TransportServer(IPEndPoint endpoint, byte[] secret, Func<IWithSymbol, CancellationToken, Task<object?>> answer, ILogger log)
    : IAsyncDisposable
{
    private readonly TcpListener _listener = new(endpoint);
    private readonly CancellationTokenSource _stopping = new();
    private Task _accepting = Task.CompletedTask;

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Start()
    {
        _listener.Start();
        _accepting = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        string? peer;
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            handshake.CancelAfter(TimeSpan.FromSeconds(5));
            peer = await FrameIO.AcceptHandshakeAsync(stream, secret, handshake.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            return;
        }
        if (peer is null)
        {
            log.LogWarning("refused a transport connection from {Remote}: wrong cluster secret", client.Client.RemoteEndPoint);
            return;
        }
        var frames = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        var writer = FrameIO.WriteLoopAsync(stream, frames.Reader, _stopping.Token);
        try
        {
            while (await FrameIO.ReadAsync(stream, _stopping.Token) is { } frame)
            {
                if (frame.Kind != FrameKind.Request) throw new IOException($"unexpected frame {frame.Kind} from {peer}");
                _ = AnswerAsync(frame.Correlation, frame.Payload, frames.Writer);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or CodecException)
        {
        }
        frames.Writer.TryComplete();
        try
        {
            await writer;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
        }
    }

    private async Task AnswerAsync(long correlation, byte[] payload, ChannelWriter<byte[]> frames)
    {
        byte[] reply;
        try
        {
            var request = WireCodec.Decode(payload) as IWithSymbol ?? throw new CodecException("not a symbol request");
            reply = FrameIO.Frame(FrameKind.Reply, correlation, WireCodec.Encode(await answer(request, _stopping.Token)));
        }
        catch (Exception e)
        {
            reply = FrameIO.Failure(correlation, e is CodecException ? 400 : 503, e.Message);
        }
        frames.TryWrite(reply);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
