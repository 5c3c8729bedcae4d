using System.Numerics;

namespace AkkaExchange.Node.Telemetry;

/// <summary>
/// This node's order commands second by second for the last <see cref="Seconds"/> seconds: how many were acknowledged,
/// rejected or failed, and their median and 99th-percentile latency (edge to answer). Recording is lock-free and
/// allocation-free (interlocked counters and latency buckets); once a second a timer folds the counters into a ring,
/// which <see cref="Read"/> copies out for the dashboard.
/// </summary>
public sealed class OrderActivity : IDisposable
{
    /// <summary>How many seconds are kept (five minutes).</summary>
    public const int Seconds = 300;

    // Log-linear latency buckets in microseconds, 8 per power of two (within 12.5 %): plenty for a chart.
    private const int SubBuckets = 8;
    private const int BucketCount = 40 * SubBuckets;

    private readonly long[] _buckets = new long[BucketCount];
    private long _acknowledged, _rejected, _errors;
    private readonly ActivitySecond[] _ring = new ActivitySecond[Seconds];
    private readonly Lock _ringLock = new();
    private int _next, _count;
    private readonly Timer _timer;
    private readonly TimeProvider _time;

    public OrderActivity() : this(TimeProvider.System, start: true) { }

    /// <summary>With <paramref name="start"/> false, nothing folds on its own: a test calls <see cref="Fold"/>.</summary>
    public OrderActivity(TimeProvider time, bool start)
    {
        _time = time;
        var untilNextSecond = TimeSpan.FromMilliseconds(1000 - time.GetUtcNow().Millisecond);
        _timer = new Timer(_ => Fold(), null, start ? untilNextSecond : Timeout.InfiniteTimeSpan, start ? TimeSpan.FromSeconds(1) : Timeout.InfiniteTimeSpan);
    }

    /// <summary>Counts one order command's outcome (<c>acknowledged</c>, <c>rejected</c> or <c>error</c>) and its latency when answered.</summary>
    public void Record(string outcome, TimeSpan? latency)
    {
        switch (outcome)
        {
            case "acknowledged": Interlocked.Increment(ref _acknowledged); break;
            case "rejected": Interlocked.Increment(ref _rejected); break;
            default: Interlocked.Increment(ref _errors); break;
        }
        if (latency is { } l) Interlocked.Increment(ref _buckets[BucketOf((long)l.TotalMicroseconds)]);
    }

    /// <summary>Closes the current second: its counts and percentiles go into the ring, the counters start again.</summary>
    public void Fold()
    {
        var at = _time.GetUtcNow().ToUnixTimeSeconds();
        Span<long> counts = stackalloc long[BucketCount];
        long total = 0;
        for (var i = 0; i < BucketCount; i++) total += counts[i] = Interlocked.Exchange(ref _buckets[i], 0);
        var second = new ActivitySecond(at, Interlocked.Exchange(ref _acknowledged, 0), Interlocked.Exchange(ref _rejected, 0),
            Interlocked.Exchange(ref _errors, 0), Percentile(counts, total, 0.50), Percentile(counts, total, 0.99));
        lock (_ringLock)
        {
            _ring[_next] = second;
            _next = (_next + 1) % Seconds;
            _count = Math.Min(_count + 1, Seconds);
        }
    }

    /// <summary>The kept seconds, oldest first.</summary>
    public ActivitySecond[] Read()
    {
        lock (_ringLock)
        {
            var list = new ActivitySecond[_count];
            for (var i = 0; i < _count; i++) list[i] = _ring[(_next - _count + i + Seconds) % Seconds];
            return list;
        }
    }

    public void Dispose() => _timer.Dispose();

    internal static int BucketOf(long micros)
    {
        if (micros < 2 * SubBuckets) return (int)Math.Max(micros, 0);
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)micros) - 3;
        return Math.Min((shift + 1) * SubBuckets + (int)(micros >> shift) - SubBuckets, BucketCount - 1);
    }

    /// <summary>The highest value of a bucket: percentiles never understate.</summary>
    internal static long HighestOf(int bucket)
    {
        if (bucket < 2 * SubBuckets) return bucket;
        var shift = bucket / SubBuckets - 1;
        var mantissa = bucket % SubBuckets + SubBuckets;
        return ((long)(mantissa + 1) << shift) - 1;
    }

    private static long Percentile(ReadOnlySpan<long> counts, long total, double fraction)
    {
        if (total == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
            if ((seen += counts[i]) >= rank) return HighestOf(i);
        return HighestOf(counts.Length - 1);
    }
}
