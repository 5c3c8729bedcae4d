using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;

namespace AkkaExchange.Node.Transport;

/// <summary>
/// One multiplexed connection to a peer node: many requests in flight, each matched to its reply by correlation
/// id. It connects on first use and again after a loss; requests in flight when the connection drops fail with
/// a 503 (the caller retries; idempotency makes a repeat harmless).
/// </summary>
/// <remarks>Market data the peer pushes for this node's subscription goes to <paramref name="onMarketData"/>.</remarks>
public sealed class PeerConnection(string address, byte[] secret, string selfId, Action<IMarketDataUpdate>? onMarketData = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<object?>> _pending = new();
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Channel<byte[]>? _frames;
    private TcpClient? _client;
    private long _nextCorrelation;

    public string Address => address;

    public async Task<object?> AskAsync(IWithSymbol request, TimeSpan timeout, CancellationToken cancellation)
    {
        var frames = await ConnectAsync(cancellation);
        var correlation = Interlocked.Increment(ref _nextCorrelation);
        var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlation] = reply;
        try
        {
            if (!frames.Writer.TryWrite(FrameIO.Frame(FrameKind.Request, correlation, WireCodec.Encode(request))))
                throw new PeerFailureException(503, $"connection to {address} closed");
            return await reply.Task.WaitAsync(timeout, cancellation);
        }
        catch (TimeoutException)
        {
            throw new PeerFailureException(503, $"no reply from {address} within {timeout.TotalMilliseconds:F0} ms");
        }
        finally
        {
            _pending.TryRemove(correlation, out _);
        }
    }

    /// <summary>Tells the peer which of its symbols' market data this node wants now (replacing the previous set).</summary>
    public async Task SubscribeAsync(IReadOnlyList<string> symbols, CancellationToken cancellation)
    {
        var frames = await ConnectAsync(cancellation);
        frames.Writer.TryWrite(FrameIO.Frame(FrameKind.Subscribe, 0, WireCodec.Encode(new MarketDataSubscription(symbols))));
    }

    private async Task<Channel<byte[]>> ConnectAsync(CancellationToken cancellation)
    {
        if (_frames is { } ready) return ready;
        await _connectGate.WaitAsync(cancellation);
        try
        {
            if (_frames is { } again) return again;
            var (host, port) = Split(address);
            var client = new TcpClient { NoDelay = true };
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                connect.CancelAfter(TimeSpan.FromSeconds(3));
                await client.ConnectAsync(host, port, connect.Token);
                if (!await FrameIO.ConnectHandshakeAsync(client.GetStream(), secret, selfId, connect.Token))
                    throw new PeerFailureException(503, $"{address} refused this node's cluster secret");
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                client.Dispose();
                throw new PeerFailureException(503, $"cannot reach {address}: {e.Message}");
            }
            var frames = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
            _client = client;
            _frames = frames;
            _ = RunAsync(client, frames);
            return frames;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private async Task RunAsync(TcpClient client, Channel<byte[]> frames)
    {
        var stream = client.GetStream();
        var writer = FrameIO.WriteLoopAsync(stream, frames.Reader, _closing.Token);
        try
        {
            while (await FrameIO.ReadAsync(stream, _closing.Token) is { } frame)
            {
                if (frame.Kind == FrameKind.MarketData)
                {
                    if (WireCodec.Decode(frame.Payload) is IMarketDataUpdate update) onMarketData?.Invoke(update);
                    continue;
                }
                if (!_pending.TryGetValue(frame.Correlation, out var reply)) continue;
                if (frame.Kind == FrameKind.Reply) reply.TrySetResult(WireCodec.Decode(frame.Payload));
                else
                {
                    var (status, reason) = FrameIO.ReadFailure(frame.Payload);
                    reply.TrySetException(new PeerFailureException(status, reason));
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or CodecException)
        {
        }
        // Lost: fail what is in flight; the next request connects again.
        _frames = null;
        frames.Writer.TryComplete();
        foreach (var (_, reply) in _pending) reply.TrySetException(new PeerFailureException(503, $"connection to {address} lost"));
        client.Dispose();
        try
        {
            await writer;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static (string Host, int Port) Split(string address)
    {
        var colon = address.LastIndexOf(':');
        return (address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _client?.Dispose();
        _connectGate.Dispose();
    }
}
