using AkkaExchange.LoadTest;

namespace AkkaExchange.LoadTest.Tests;

public sealed class LoadSummarySpecs
{
    [Fact]
    public void The_summary_line_has_the_contract_form_and_parses_back()
    {
        var s = new LoadSummary(300_000, 295_000, 5_000, 0, 0, 10_012, 1.437, 12.5, 40.25);
        Assert.Equal("load: sent=300000 acked=295000 rejected=5000 errors=0 lost=0 throughput=10012/s p50=1.44ms p99=12.50ms p999=40.25ms", s.Line());
        Assert.Equal(s with { P50Ms = 1.44 }, LoadSummary.Parse(s.Line()));
        Assert.Null(LoadSummary.Parse("load: something else"));
    }

    [Theory]
    [InlineData(0L, 0L, true)]
    [InlineData(1L, 0L, false)]
    [InlineData(0L, 100L, true)]
    [InlineData(0L, 101L, false)]
    public void A_run_passes_with_nothing_lost_and_errors_within_the_allowed_rate(long lost, long errors, bool passes)
    {
        Assert.Equal(passes, new LoadSummary(100_000, 99_000, 0, errors, lost, 1, 1, 1, 1).Passed(0.001));
    }

    [Fact]
    public void Options_follow_the_profile_and_the_switches()
    {
        var aex = LoadOptions.Parse([]);
        Assert.Equal((100, 100, 100, 10_000.0), (aex.Symbols, aex.Brokers, aex.CustomersPerBroker, aex.TargetRate));
        var custom = LoadOptions.Parse(["--profile", "custom", "--brokers", "10", "--customers", "20", "--rate", "1000", "--mix", "limit=1,cancel=1"]);
        Assert.Equal((200, 5.0, 1000.0), (custom.Customers, custom.OrdersPerCustomerPerSecond, custom.TargetRate));
        Assert.Equal(new OrderMix(1, 0, 0, 1, 0), custom.Mix);
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--brokers", "10"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--seconds", "-1"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mix", "limit=x"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--mix", "cancel=5"]));
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--url", "ftp://x"]));
    }

    [Fact]
    public void The_mix_picks_each_kind_in_its_share()
    {
        var mix = new OrderMix(60, 10, 10, 15, 5);
        var rng = new Random(5);
        var counts = Enumerable.Range(0, 100_000).Select(_ => mix.Pick(rng)).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(counts[OrderKind.Limit], 59_000, 61_000);
        Assert.InRange(counts[OrderKind.Cancel], 14_200, 15_800);
        Assert.InRange(counts[OrderKind.Amend], 4_500, 5_500);
    }
}
