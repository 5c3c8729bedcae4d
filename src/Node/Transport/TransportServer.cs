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
/// <remarks>A peer may also subscribe to the market data of symbols served here; updates are pushed on its connection.</remarks>
public sealed class TransportServer(IPEndPoint endpoint, byte[] secret, Func<IWithSymbol, CancellationToken, Task<object?>> answer, ILogger log,
    Func<IReadOnlyCollection<string>, AkkaExchange.Node.MarketData.MarketDataHub.Subscription>? subscribe = null,
    Func<string, bool>? servesHere = null)
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
        AkkaExchange.Node.MarketData.MarketDataHub.Subscription? subscription = null;
        try
        {
            while (await FrameIO.ReadAsync(stream, _stopping.Token) is { } frame)
            {
                switch (frame.Kind)
                {
                    case FrameKind.Request:
                        _ = AnswerAsync(frame.Correlation, frame.Payload, frames.Writer);
                        break;
                    case FrameKind.Subscribe when subscribe is not null:
                        subscription?.Dispose();
                        var symbols = ((MarketDataSubscription)WireCodec.Decode(frame.Payload)!).Symbols;
                        subscription = symbols.Count == 0 ? null : subscribe(symbols);
                        if (subscription is not null) _ = PumpAsync(subscription, frames.Writer, servesHere ?? (_ => true));
                        break;
                    default:
                        throw new IOException($"unexpected frame {frame.Kind} from {peer}");
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or CodecException or InvalidCastException)
        {
        }
        subscription?.Dispose();
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

    /// <summary>
    /// Pushes a subscription's updates to the peer until it is replaced or the connection ends — only those of
    /// symbols served here: relayed updates are never relayed again, so two nodes with stale routes cannot echo.
    /// </summary>
    private static async Task PumpAsync(AkkaExchange.Node.MarketData.MarketDataHub.Subscription subscription, ChannelWriter<byte[]> frames,
        Func<string, bool> servesHere)
    {
        try
        {
            await foreach (var update in subscription.Updates.ReadAllAsync())
            {
                if (!servesHere(update.Symbol)) continue;
                if (!frames.TryWrite(FrameIO.Frame(FrameKind.MarketData, 0, WireCodec.Encode(update)))) return;
            }
        }
        catch (Exception e) when (e is AkkaExchange.Node.MarketData.SlowConsumerException or ChannelClosedException)
        {
            // The peer fell behind: it resubscribes on its next tick and its clients see the gap in the sequence.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
