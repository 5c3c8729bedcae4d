using AkkaExchange.Messages.Diagnostics;

namespace AkkaExchange.Domain.Tests;

public sealed class LatencyHistogramSpecs
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Percentiles_agree_with_a_sorted_array_within_the_bucket_precision(int seed)
    {
        var rng = new Random(seed);
        var h = new LatencyHistogram();
        var values = new long[50_000];
        for (var i = 0; i < values.Length; i++)
        {
            // Heavy-tailed, like latencies: mostly small, some orders of magnitude larger.
            values[i] = (long)Math.Exp(rng.NextDouble() * 18);
            h.Record(values[i]);
        }
        Array.Sort(values);
        foreach (var p in new[] { 1.0, 50, 90, 99, 99.9, 100 })
        {
            var exact = values[Math.Max(0, (int)Math.Ceiling(p / 100 * values.Length) - 1)];
            var got = h.Percentile(p);
            Assert.True(got >= exact, $"p{p}: {got} understates {exact}");
            Assert.True(got <= exact + exact / 128 + 1, $"p{p}: {got} too far above {exact}");
        }
        Assert.Equal(values[^1], h.Max);
        Assert.Equal(values[0], h.Min);
        Assert.Equal(values.Length, h.Count);
        Assert.Equal(values.Length, h.Buckets().Sum(b => b.Count));
    }

    [Fact]
    public void Small_values_are_exact_and_empty_histogram_reports_zero()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.Percentile(99));
        foreach (var v in new long[] { 5, 7, 7, 200 }) h.Record(v);
        Assert.Equal(7, h.Percentile(50));
        Assert.Equal(200, h.Percentile(100));
    }

    [Fact]
    public void Merged_histograms_equal_one_that_saw_everything()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var all = new LatencyHistogram();
        for (var i = 0; i < 1000; i++)
        {
            (i % 2 == 0 ? a : b).Record(i * 37);
            all.Record(i * 37);
        }
        a.Add(b);
        Assert.Equal(all.Buckets(), a.Buckets());
        Assert.Equal(all.Percentile(99), a.Percentile(99));
    }
}
