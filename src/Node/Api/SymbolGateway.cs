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

    public async Task<object?> AskAsync(IWithSymbol message, CancellationToken cancellation)
    {
        if (!host.Exchange.IsReady) throw new ApiRequestException(503, "exchange is recovering; retry shortly");
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
