using AkkaExchange.Node.Telemetry;

namespace AkkaExchange.Node.Tests;

/// <summary>The dashboard's per-second order activity: counts by outcome, percentiles that never understate, a five-minute ring.</summary>
public sealed class OrderActivitySpecs
{
    private sealed class StoppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_second_counts_each_outcome_and_its_percentiles_are_within_an_eighth_above_the_true_ones()
    {
        var clock = new StoppedClock();
        using var activity = new OrderActivity(clock, start: false);
        var random = new Random(7);
        var latencies = Enumerable.Range(0, 10_000).Select(_ => (long)(random.NextDouble() * random.NextDouble() * 500_000)).ToArray();
        foreach (var micros in latencies) activity.Record("acknowledged", TimeSpan.FromMicroseconds(micros));
        activity.Record("rejected", TimeSpan.FromMilliseconds(1));
        activity.Record("error", null);
        activity.Fold();

        var second = Assert.Single(activity.Read());
        Assert.Equal((1_800_000_000, 10_000, 1, 1), (second.At, second.Acknowledged, second.Rejected, second.Errors));
        var sorted = latencies.Append(1000).Order().ToArray();
        foreach (var (percentile, reported) in new[] { (0.50, second.P50Micros), (0.99, second.P99Micros) })
        {
            var exact = sorted[(int)Math.Ceiling(percentile * sorted.Length) - 1];
            Assert.InRange(reported, exact, exact + exact / 8 + 1);
        }
    }

    [Fact]
    public void The_ring_keeps_the_last_five_minutes_oldest_first_and_an_idle_second_is_zero()
    {
        var clock = new StoppedClock();
        using var activity = new OrderActivity(clock, start: false);
        for (var i = 0; i < OrderActivity.Seconds + 10; i++)
        {
            if (i % 2 == 0) activity.Record("acknowledged", TimeSpan.FromMilliseconds(2));
            activity.Fold();
            clock.Now += TimeSpan.FromSeconds(1);
        }
        var seconds = activity.Read();
        Assert.Equal(OrderActivity.Seconds, seconds.Length);
        Assert.Equal(Enumerable.Range(10, OrderActivity.Seconds).Select(i => 1_800_000_000L + i), seconds.Select(s => s.At));
        Assert.All(seconds.Where(s => s.At % 2 == 0), s => Assert.Equal((1L, true), (s.Acknowledged, s.P50Micros is >= 2000 and <= 2250)));
        Assert.All(seconds.Where(s => s.At % 2 == 1), s => Assert.Equal((0L, 0L, 0L), (s.Acknowledged, s.P50Micros, s.P99Micros)));
    }
}
