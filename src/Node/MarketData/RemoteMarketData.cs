using AkkaExchange.Actors.Symbols;
using AkkaExchange.Node.Cluster;
using AkkaExchange.Node.Transport;

namespace AkkaExchange.Node.MarketData;

/// <summary>
/// Cluster mode: brings the market data of symbols served by other nodes to this node's subscribers. Every
/// <c>interval</c> it tells each owner which of its symbols this node's WebSocket sessions want (an idempotent
/// replacement, so a lost connection or a moved shard heals on the next round); the owner pushes their updates,
/// which are published into this node's hub. After a hand-over the new owner's updates continue the symbol's
/// journal sequence from where it is, so a subscriber sees a gap in <c>previousSequence</c> and takes a snapshot.
/// </summary>
public sealed class RemoteMarketData(MarketDataHub hub, LocalExchange exchange, ShardCoordinator coordinator, PeerTransport peers, TimeSpan interval,
    ILogger log) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, string[]> _sent = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _round = new(1, 1);
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await RoundAsync();
                await Task.Delay(interval, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogDebug("market data subscription round failed: {Error}", e.Message);
            }
        }
    }

    /// <summary>
    /// Runs a subscription round now. A session calls it after subscribing locally and before taking its snapshot:
    /// the Subscribe frame and the snapshot request then travel in order on the same connection, so every update
    /// after the snapshot reaches the session.
    /// </summary>
    public async Task RefreshAsync()
    {
        try
        {
            await RoundAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogDebug("market data subscription round failed: {Error}", e.Message);
        }
    }

    private async Task RoundAsync()
    {
        await _round.WaitAsync(_stopping.Token);
        try
        {
            await SubscribeWantedAsync();
        }
        finally
        {
            _round.Release();
        }
    }

    private async Task SubscribeWantedAsync()
    {
        var wanted = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var symbol in hub.SubscribedSymbols)
        {
            var shard = exchange.Shards.ShardOf(symbol);
            if (exchange.HostedShards.ContainsKey(shard)) continue;
            if (!coordinator.TryRoute(shard, out var owner, out var transport) || owner == coordinator.NodeId) continue;
            (wanted.TryGetValue(transport, out var list) ? list : wanted[transport] = new List<string>()).Add(symbol);
        }
        foreach (var transport in _sent.Keys.Except(wanted.Keys).ToArray()) wanted[transport] = [];
        foreach (var (transport, symbols) in wanted)
        {
            var set = symbols.OrderBy(s => s, StringComparer.Ordinal).ToArray();
            try
            {
                await peers.To(transport).SubscribeAsync(set, _stopping.Token);
                if (set.Length == 0) _sent.Remove(transport); else _sent[transport] = set;
            }
            catch (PeerFailureException)
            {
                _sent.Remove(transport);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
    }
}
