using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Bench;

/// <summary>
/// The disaster-recovery drill, measured: two regions on this machine (each its own PostgreSQL, B a streaming replica
/// of A, <c>--mode sync|async</c>; one node each), clients that follow the regions (<see cref="RegionLoad"/>) placing
/// orders at up to <c>--rate</c> a second for <c>--seconds</c>; a third of the way in, region A dies whole (kill -9 of
/// its node, immediate stop of its PostgreSQL) and the operator fails over to B (<c>--kind failover</c>), or A hands
/// over to B and B takes over (<c>--kind rotate</c>). Then every acknowledged order is looked up in B.
/// Prints <c>dr: kind=K mode=M rto=&lt;s&gt; rpo_lost=&lt;n&gt; acked=&lt;n&gt; duplicates=&lt;n&gt; errors=&lt;n&gt;</c>: RTO from the
/// kill (or the rotation command) to the first order B acknowledged; rpo_lost the acknowledged orders B does not hold.
/// </summary>
internal static class DrBenchmark
{
    private static readonly string[] Symbols = ["AAPL", "MSFT", "TSLA", "NVDA", "AMZN", "GOOG", "INTC", "CSCO"];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var kind = options.Text("kind", "failover");
        var mode = options.Text("mode", "sync");
        if (kind is not ("failover" or "rotate")) throw new ArgumentException("--kind must be failover or rotate");
        if (mode is not ("sync" or "async")) throw new ArgumentException("--mode must be sync or async");
        var seconds = Math.Max(6, options.Int("seconds", 30));
        var rate = options.Int("rate", 10_000);
        var clients = Math.Max(1, options.Int("clients", 64));
        Console.WriteLine($"dr: {kind}, {mode} replication, one node per region, {Symbols.Length} symbols, {clients} clients offering up to {rate}/s for {seconds}s");

        await using var regions = new RegionPair(string.Join(',', Symbols));
        var (a, b) = await regions.StartAsync(mode, TimeSpan.FromSeconds(120));

        var load = new RegionLoad([a.BaseAddress, b.BaseAddress], clients, rate, Symbols);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(seconds / 3.0));
        var ackedBefore = load.Acked.Count;
        load.MarkEvent();
        if (kind == "failover")
        {
            await regions.CrashAsync("A");
            await AdminPostAsync(b, "/admin/v1/region/failover");
        }
        else
        {
            await AdminPostAsync(a, "/admin/v1/region/handover?to=B");
            await AdminPostAsync(b, "/admin/v1/region/failover");
        }
        var rest = TimeSpan.FromSeconds(seconds) - Stopwatch.GetElapsedTime(started);
        if (rest > TimeSpan.Zero) await Task.Delay(rest);
        await stop.CancelAsync();
        await running;
        var elapsed = Stopwatch.GetElapsedTime(started);

        var (lost, mismatched) = await VerifyAsync(b, load);
        var rto = load.RecoveryTime is { } t ? t.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "none";
        Console.WriteLine($"  acknowledged {load.Acked.Count:N0} in {elapsed.TotalSeconds:F1}s ({load.Acked.Count / elapsed.TotalSeconds:F0}/s; {ackedBefore:N0} before the {kind}); " +
            $"{load.Retried:N0} requests sent again to the other region; {load.Unanswered:N0} given up");
        Console.WriteLine($"dr: kind={kind} mode={mode} rto={rto} rpo_lost={lost} acked={load.Acked.Count} duplicates={load.Duplicates + mismatched} errors={load.Errors}");
        return 0;
    }

    private static async Task AdminPostAsync(NodeProcess node, string path)
    {
        using var response = await node.Http.PostAsync(path, null);
        var body = await response.Content.ReadAsStringAsync();
        Console.WriteLine($"  POST {path}: {(int)response.StatusCode} {body}");
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} failed: {body}");
    }

    /// <summary>Looks every acknowledged order up in the surviving region: missing ones are lost, a different orderId a duplicate.</summary>
    private static async Task<(long Lost, long Mismatched)> VerifyAsync(NodeProcess survivor, RegionLoad load)
    {
        long lost = 0, mismatched = 0;
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(load.Acked.Select(async entry =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await survivor.Http.GetAsync($"/api/v1/orders/{entry.Key.Account}/{entry.Key.Id}");
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    Interlocked.Increment(ref lost);
                    return;
                }
                response.EnsureSuccessStatusCode();
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (doc.RootElement.GetProperty("orderId").GetInt64() != entry.Value.OrderId) Interlocked.Increment(ref mismatched);
            }
            finally
            {
                gate.Release();
            }
        }));
        return (lost, mismatched);
    }
}
