using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.Node.Hosting;
using AkkaExchange.Node.Regions;
using AkkaExchange.Node.Telemetry;

namespace AkkaExchange.Node.Api;

/// <summary>
/// What the API and the WebSocket sessions use to reach the symbols: asks through the symbols' shard region —
/// wherever the symbol's shard lives — turning the ways an ask can fail into <see cref="ApiRequestException"/>s with
/// a status and a reason.
/// </summary>
public sealed class SymbolGateway(IRequiredActor<SymbolRegion> region, NodeSettings settings, ExchangeReadiness readiness, AskAttempts attempts,
    RegionGate regionGate, ExchangeMetrics metrics)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    public IReadOnlyDictionary<string, InstrumentSpec> Instruments => settings.Instruments;

    /// <summary>Throws the 503 a request gets while this node cannot serve the symbols: its region is not active, or they are recovering.</summary>
    public void EnsureServing()
    {
        // A region that is not active answers nothing about the books: its replica may trail the active region's.
        if (!regionGate.AcceptsOrders) throw new ApiRequestException(503, regionGate.Refusal());
        if (!readiness.IsReady) throw new ApiRequestException(503, Recovering.Text);
    }

    /// <summary>
    /// Asks the symbol's entity and returns its reply. While a shard moves, the region buffers the request; a request
    /// lost with a node that died is sent again when that member is removed (or when its attempt runs out,
    /// <see cref="AskAttempts"/>), until the node's request timeout. This is at-least-once: a repeated order entry
    /// finds its original by clientOrderId, so the effect happens once.
    /// </summary>
    public async Task<object> AskAsync(IWithSymbol message, CancellationToken cancellation)
    {
        if (message is not (IBookCommand or CancelClientOrder or AmendClientOrder)) return await AskCoreAsync(message, cancellation);
        // An order command: counted by outcome, timed from here to its acknowledgement (ExchangeMetrics).
        var started = Stopwatch.GetTimestamp();
        try
        {
            var reply = await AskCoreAsync(message, cancellation);
            var rejected = reply is CommandRejected or OrderReport { Status: OrderStatus.Rejected };
            metrics.Order(rejected ? "rejected" : "acknowledged", Stopwatch.GetElapsedTime(started));
            return reply;
        }
        catch (ApiRequestException)
        {
            metrics.Order("error", null);
            throw;
        }
    }

    private async Task<object> AskCoreAsync(IWithSymbol message, CancellationToken cancellation)
    {
        EnsureServing();
        var symbols = region.ActorRef;
        var deadline = DateTime.UtcNow + settings.Options.RequestTimeout;
        while (true)
        {
            string why;
            cancellation.ThrowIfCancellationRequested();
            try
            {
                var left = deadline - DateTime.UtcNow;
                // The last, shorter attempt has a timer of its own; the others share theirs (AskAttempts).
                var reply = left > attempts.Attempt
                    ? await symbols.Ask<object>(message, null, attempts.Next())
                    : await symbols.Ask<object>(message, left, cancellation);
                if (reply is not CommandRejected { Reason: RejectReason.Unavailable }) return reply;
                why = $"{message.Symbol} was restarting";
            }
            catch (AskTimeoutException)
            {
                why = "no answer in time";
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                why = "no answer in time, or its node died";
            }
            if (DateTime.UtcNow + RetryPause >= deadline)
                throw new ApiRequestException(503, $"{message.Symbol} is unavailable ({why}); retry with the same clientOrderId");
            await Task.Delay(RetryPause, cancellation);
        }
    }

    /// <summary>The symbols on which the account used this clientOrderId, with each order's report.</summary>
    public async Task<IReadOnlyList<OrderReport>> FindOrderAsync(string account, string clientOrderId, string? symbol, CancellationToken cancellation)
    {
        var symbols = symbol is null ? Instruments.Keys : [OrderRequests.Instrument(symbol, Instruments).Symbol];
        var replies = await Task.WhenAll(symbols.Select(s => AskAsync(new GetOrder(s, account, clientOrderId), cancellation)));
        return replies.OfType<OrderReport>().ToArray();
    }
}
