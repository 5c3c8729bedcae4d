using System.Numerics;

namespace AkkaExchange.Messages.Diagnostics;

/// <summary>
/// A log-linear histogram of non-negative values (nanoseconds, microseconds — the caller's unit): exact below
/// 256, and within 1/128 (0.8 %) above. Recording is allocation-free and O(1). Percentiles report the highest
/// value of the bucket holding the rank, so they never understate. Not thread-safe; merge per-thread copies.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 128;
    private const int LinearLimit = 2 * SubBuckets;
    private readonly long[] _counts = new long[64 * SubBuckets];

    public long Count { get; private set; }
    public long Max { get; private set; }
    public long Min { get; private set; } = long.MaxValue;
    public double Mean => Count == 0 ? 0 : (double)_sum / Count;
    private decimal _sum;

    public void Record(long value)
    {
        if (value < 0) value = 0;
        _counts[IndexOf(value)]++;
        Count++;
        _sum += value;
        if (value > Max) Max = value;
        if (value < Min) Min = value;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        _sum += other._sum;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Count = 0;
        _sum = 0;
        Max = 0;
        Min = long.MaxValue;
    }

    /// <summary>The value at or below which <paramref name="percentile"/> percent of the recorded values lie (0 if empty).</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0) return 0;
        var rank = (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100.0 * Count);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(HighestOf(i), Max);
        }
        return Max;
    }

    /// <summary>Non-empty buckets as (lowest value, highest value, count), in ascending order.</summary>
    public IEnumerable<(long Low, long High, long Count)> Buckets()
    {
        for (var i = 0; i < _counts.Length; i++)
            if (_counts[i] > 0)
                yield return (LowestOf(i), HighestOf(i), _counts[i]);
    }

    private static int IndexOf(long value)
    {
        if (value < LinearLimit) return (int)value;
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - 7;
        return (shift + 1) * SubBuckets + (int)(value >> shift) - SubBuckets;
    }

    private static long LowestOf(int index)
    {
        if (index < LinearLimit) return index;
        var shift = index / SubBuckets - 1;
        return (long)(index % SubBuckets + SubBuckets) << shift;
    }

    private static long HighestOf(int index) =>
        index < LinearLimit ? index : LowestOf(index) + (1L << (index / SubBuckets - 1)) - 1;
}
