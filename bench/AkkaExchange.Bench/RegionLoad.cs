using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AkkaExchange.Bench;

/// <summary>
/// Clients that follow the regions: <c>--clients</c> workers place orders over HTTP, together at most <c>rate</c> a
/// second, to the region they believe active; on a 503 or a failed connection they move to the other region and send
/// the same order again (same clientOrderId: the exchange answers a repeat with the original). Every acknowledgement
/// is kept, with the region that gave it, for the verification against the surviving region.
/// </summary>
internal sealed class RegionLoad(IReadOnlyList<Uri> regions, int workers, int rate, string[] symbols)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = workers, ConnectTimeout = TimeSpan.FromSeconds(1) })
    {
        Timeout = RequestTimeout,
    };
    private int _current;
    private long _firstAckAfterEvent, _event, _retried, _errors, _unanswered;

    /// <summary>(account, clientOrderId) → the orderId acknowledged, and which region acknowledged it.</summary>
    public ConcurrentDictionary<(string Account, string Id), (long OrderId, int Region)> Acked { get; } = new();
    public long Duplicates;
    public long Retried => Interlocked.Read(ref _retried);
    public long Errors => Interlocked.Read(ref _errors);
    public long Unanswered => Interlocked.Read(ref _unanswered);

    /// <summary>Marks the disaster or the rotation: <see cref="RecoveryTime"/> runs from here to the next acknowledgement by region 1.</summary>
    public void MarkEvent() => Interlocked.Exchange(ref _event, Stopwatch.GetTimestamp());

    public TimeSpan? RecoveryTime => Interlocked.Read(ref _firstAckAfterEvent) is var t and > 0 ? Stopwatch.GetElapsedTime(_event, t) : null;

    public async Task RunAsync(CancellationToken stop)
    {
        using var tokens = new SemaphoreSlim(0);
        var refill = Task.Run(async () =>
        {
            // Tokens every 10 ms: the offered rate, never more, whatever the answers' speed.
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            var perTick = Math.Max(1, rate / 100);
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                    if (tokens.CurrentCount < rate) tokens.Release(perTick);
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        });
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => WorkerAsync(w, tokens, stop)));
        await refill;
    }

    private async Task WorkerAsync(int worker, SemaphoreSlim tokens, CancellationToken stop)
    {
        var rng = new Random(worker);
        for (var n = 1; ; n++)
        {
            try
            {
                await tokens.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var account = $"BD{worker % 100:000}-C{n % 50:000}";
            var id = $"w{worker}-{n}";
            var buy = rng.Next(2) == 0;
            var price = 100m + (buy ? 1 : -1) * rng.Next(-3, 6) / 100m;
            var body = $$"""{"account":"{{account}}","clientOrderId":"{{id}}","symbol":"{{symbols[rng.Next(symbols.Length)]}}","side":"{{(buy ? "buy" : "sell")}}","price":"{{price:0.00}}","quantity":{{rng.Next(1, 100)}}}""";
            await PlaceAsync(account, id, body);
        }
    }

    private async Task PlaceAsync(string account, string id, string body)
    {
        var giveUp = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(giveUp) < GiveUpAfter)
        {
            var region = Volatile.Read(ref _current);
            try
            {
                using var response = await _http.PostAsync(new Uri(regions[region], "/api/v1/orders"), new StringContent(body, Encoding.UTF8, "application/json"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var orderId = doc.RootElement.GetProperty("orderId").GetInt64();
                    var acked = Acked.GetOrAdd((account, id), (orderId, region));
                    if (acked.OrderId != orderId) Interlocked.Increment(ref Duplicates);
                    if (region == 1 && Interlocked.Read(ref _event) is > 0) Interlocked.CompareExchange(ref _firstAckAfterEvent, Stopwatch.GetTimestamp(), 0);
                    return;
                }
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref _errors);
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The region's node is gone or does not answer: try the other region.
            }
            Interlocked.Increment(ref _retried);
            Interlocked.CompareExchange(ref _current, 1 - region, region);
            await Task.Delay(50);
        }
        Interlocked.Increment(ref _unanswered);
    }
}
