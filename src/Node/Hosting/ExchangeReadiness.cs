using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.Node.Regions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AkkaExchange.Node.Hosting;

/// <summary>
/// The exchange part of readiness: every listed symbol has answered once — recovered from its journal wherever its
/// shard lives (on an embedded node, here). Until then the API answers 503 and <c>/health/ready</c> is unhealthy;
/// afterwards a symbol that moves between nodes is waited for by the request itself.
/// </summary>
public sealed class ExchangeReadiness(IRequiredActor<SymbolRegion> region, NodeSettings settings, RegionGate regionGate, ILogger<ExchangeReadiness> log)
    : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1);
    private volatile bool _ready;

    /// <summary>Every symbol has answered, and the node's region takes orders.</summary>
    public bool IsReady => _ready && regionGate.AcceptsOrders;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // A region that is not active starts no symbol (no lease, no writes): wait until it is.
        while (!regionGate.AcceptsOrders && !stopping.IsCancellationRequested) await Task.Delay(200, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var started = Stopwatch.GetTimestamp();
        var symbols = await region.GetAsync(stopping);
        var waiting = settings.Instruments.Keys.ToHashSet(StringComparer.Ordinal);
        while (waiting.Count > 0 && !stopping.IsCancellationRequested)
        {
            var answers = await Task.WhenAll(waiting.Select(async s =>
            {
                try
                {
                    return await symbols.Ask<object>(new GetBook(s, 1), AskTimeout, stopping) is BookView ? s : null;
                }
                catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
                {
                    return null;
                }
            }));
            foreach (var s in answers.OfType<string>()) waiting.Remove(s);
            if (waiting.Count > 0) log.LogInformation("waiting for {Count} symbols to recover", waiting.Count);
        }
        if (stopping.IsCancellationRequested) return;
        _ready = true;
        log.LogInformation("ready: {Symbols} symbols answer ({Ms} ms after start-up)", settings.Instruments.Count,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!regionGate.AcceptsOrders ? HealthCheckResult.Unhealthy(regionGate.Refusal())
            : _ready ? HealthCheckResult.Healthy("every symbol recovered") : HealthCheckResult.Unhealthy("symbols are recovering"));
}
