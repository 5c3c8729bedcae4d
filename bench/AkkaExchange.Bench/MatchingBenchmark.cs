using System.Diagnostics;
using AkkaExchange.Messages.Diagnostics;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Bench;

/// <summary>
/// One book on one thread. A stream from <see cref="MatchingWorkload"/> is generated first, then replayed on
/// fresh books (each first brought to about 1,000 resting orders, untimed): a throughput pass timed by the wall
/// clock, then a latency pass that stamps each operation (decide + apply). Last line (a contract):
/// <c>matching: &lt;N&gt; ops/s p50=&lt;X&gt;ns p99=&lt;Y&gt;ns</c>.
/// </summary>
internal static class MatchingBenchmark
{
    private const int StreamLength = 2_000_000;

    public static int Run(BenchOptions options)
    {
        var seconds = options.Int("seconds", 5);
        var spec = new InstrumentSpec("BENCH");
        var workload = MatchingWorkload.Generate(spec, options.Int("seed", 42), StreamLength, out var prefill, out var main);
        Console.WriteLine($"matching: stream of {main.Length:N0} operations: places {workload.Places:N0}, cancels {workload.Cancels:N0}, amends {workload.Amends:N0}");
        var events = new List<IBookEvent>(64);
        var nsPerTick = 1_000_000_000.0 / Stopwatch.Frequency;

        Replay(spec, prefill, main, events, null, 0, 1.0);
        var gc0 = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var (ops, elapsed, lastBook) = Replay(spec, prefill, main, events, null, 0, seconds);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var gcs = GC.CollectionCount(0) - gc0;
        var rate = (long)(ops / elapsed.TotalSeconds);

        var histogram = new LatencyHistogram();
        Replay(spec, prefill, main, events, histogram, nsPerTick, Math.Max(1.0, seconds / 2.0));

        Console.WriteLine($"  throughput pass: {ops:N0} operations in {elapsed.TotalSeconds:F2}s, {allocated / (double)ops:F0} B/op allocated (includes fresh books), {gcs} gen0 collections");
        Console.WriteLine($"  book at end of a stream: {lastBook.OrderCount:N0} resting orders on {lastBook.LevelCount(Side.Buy)}+{lastBook.LevelCount(Side.Sell)} levels, {lastBook.LastTradeId:N0} trades");
        Console.WriteLine($"  latency pass: {histogram.Count:N0} operations, ns p50={histogram.Percentile(50)} p90={histogram.Percentile(90)} p99={histogram.Percentile(99)} p99.9={histogram.Percentile(99.9)} max={histogram.Max}");
        Console.WriteLine($"matching: {rate} ops/s p50={histogram.Percentile(50)}ns p99={histogram.Percentile(99)}ns");
        return 0;
    }

    private static (long Ops, TimeSpan Elapsed, OrderBook Book) Replay(InstrumentSpec spec, IBookCommand[] prefill, IBookCommand[] main,
        List<IBookEvent> events, LatencyHistogram? histogram, double nsPerTick, double seconds)
    {
        long ops = 0;
        var measured = TimeSpan.Zero;
        var book = new OrderBook(spec);
        while (measured.TotalSeconds < seconds)
        {
            book = new OrderBook(spec);
            long ts = 0;
            foreach (var command in prefill) Execute(book, command, ++ts, events);
            var start = Stopwatch.GetTimestamp();
            if (histogram is null)
            {
                foreach (var command in main) Execute(book, command, ++ts, events);
            }
            else
            {
                foreach (var command in main)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    Execute(book, command, ++ts, events);
                    histogram.Record((long)((Stopwatch.GetTimestamp() - t0) * nsPerTick));
                }
            }
            measured += Stopwatch.GetElapsedTime(start);
            ops += main.Length;
        }
        return (ops, measured, book);
    }

    private static void Execute(OrderBook book, IBookCommand command, long ts, List<IBookEvent> events)
    {
        events.Clear();
        OrderBookLogic.Decide(book, command, ts, events);
        for (var e = 0; e < events.Count; e++) OrderBookLogic.Apply(book, events[e]);
    }
}
