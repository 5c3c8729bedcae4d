using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Messages;
using AkkaExchange.Node.Hosting;

namespace AkkaExchange.Node.Api;

/// <summary>
/// What the API and the WebSocket sessions use to reach the symbols: asks with the node's timeout, turning
/// the ways an ask can fail into <see cref="ApiRequestException"/>s with a status and a reason.
/// </summary>
public sealed class SymbolGateway(ExchangeHost host)
{
    public IReadOnlyDictionary<string, InstrumentSpec> Instruments => host.Exchange.Instruments;

    public bool IsReady => host.Exchange.IsReady;

    /// <summary>
    /// Asks the symbol's actor, wherever it runs. In a cluster, a request for a shard served elsewhere is forwarded
    /// to its owner over the transport; while a shard moves (no owner yet, a stale route, a lost connection) the
    /// request waits and is sent again until the request timeout. Forwarding is at-least-once: a repeated order
    /// entry finds its original by clientOrderId, so the effect happens once.
    /// </summary>
    public async Task<object?> AskAsync(IWithSymbol message, CancellationToken cancellation)
    {
        if (!host.Exchange.IsReady) throw new ApiRequestException(503, "exchange is recovering; retry shortly");
        if (host.Coordinator is not null) return await RouteAsync(message, host.Coordinator, cancellation);
        return await AskLocalAsync(message, cancellation);
    }

    private async Task<object?> RouteAsync(IWithSymbol message, AkkaExchange.Node.Cluster.ShardCoordinator coordinator, CancellationToken cancellation)
    {
        var timeout = host.Options.RequestTimeout;
        var deadline = DateTime.UtcNow + timeout;
        var shard = host.Exchange.Shards.ShardOf(message.Symbol);
        var why = "no node serves it yet";
        while (true)
        {
            try
            {
                if (host.Exchange.HostedShards.ContainsKey(shard)) return await AskLocalAsync(message, cancellation);
                if (coordinator.TryRoute(shard, out var owner, out var transport) && owner != coordinator.NodeId)
                {
                    var reply = await host.Peers!.To(transport).AskAsync(message, deadline - DateTime.UtcNow, cancellation);
                    if (reply is not CommandRejected { Reason: RejectReason.Unavailable }) return reply;
                    why = $"{owner} no longer serves it";
                }
            }
            catch (ApiRequestException e) when (e.Status == 503)
            {
                why = e.Message;
            }
            catch (AkkaExchange.Node.Transport.PeerFailureException e) when (e.Status == 503)
            {
                why = e.Message;
            }
            if (DateTime.UtcNow >= deadline)
                throw new ApiRequestException(503, $"{message.Symbol} is moving between nodes ({why}); retry with the same clientOrderId");
            await Task.Delay(50, cancellation);
        }
    }

    private async Task<object?> AskLocalAsync(IWithSymbol message, CancellationToken cancellation)
    {
        object? reply;
        try
        {
            reply = await host.Exchange.AskAsync(message, host.Options.RequestTimeout, cancellation);
        }
        catch (AskTimeoutException)
        {
            throw new ApiRequestException(503, "timed out waiting for the symbol; retry with the same clientOrderId");
        }
        catch (ActorUnavailableException e)
        {
            throw new ApiRequestException(503, e.Message);
        }
        catch (MessageRejectedException e)
        {
            throw new ApiRequestException(500, $"request could not be processed: {e.Message}");
        }
        // The symbol's shard is not served here (moving between nodes, or owned by another one): retry.
        if (reply is CommandRejected { Reason: RejectReason.Unavailable })
            throw new ApiRequestException(503, $"{message.Symbol} is not served by this node right now; retry");
        return reply;
    }

    /// <summary>The symbols on which the account used this clientOrderId, with each order's report.</summary>
    public async Task<IReadOnlyList<OrderReport>> FindOrderAsync(string account, string clientOrderId, string? symbol, CancellationToken cancellation)
    {
        var symbols = symbol is null ? Instruments.Keys : [OrderRequests.Instrument(symbol, Instruments).Symbol];
        var replies = await Task.WhenAll(symbols.Select(s => AskAsync(new GetOrder(s, account, clientOrderId), cancellation)));
        return replies.OfType<OrderReport>().ToArray();
    }
}
