using AkkaExchange.LoadTest;

namespace AkkaExchange.LoadTest.Tests;

public sealed class VerifierSpecs
{
    /// <summary>An exchange that shows every order except those it was told to have lost.</summary>
    private sealed class FakeExchange(ISet<string> missing, bool fail = false) : IOrderLookup
    {
        public Task<IReadOnlyList<bool>> FindAsync(IReadOnlyList<AckedOrder> batch, CancellationToken cancellation) =>
            fail
                ? Task.FromException<IReadOnlyList<bool>>(new HttpRequestException("down"))
                : Task.FromResult<IReadOnlyList<bool>>(batch.Select(o => !missing.Contains(o.ClientOrderId)).ToArray());
    }

    private static IReadOnlyList<AckedOrder> Orders(int n) =>
        Enumerable.Range(0, n).Select(i => new AckedOrder("AAPL", "BD001-C001", $"c{i}", i + 1)).ToArray();

    [Fact]
    public async Task An_order_the_exchange_cannot_show_is_reported_as_lost()
    {
        var result = await new Verifier(new FakeExchange(new HashSet<string> { "c1234" }), batchSize: 100).VerifyAsync(Orders(5_000), default);
        Assert.Equal((5_000L, 1L, 0L), (result.Checked, result.Lost, result.LookupErrors));
        Assert.Equal("c1234", result.LostSamples.Single().ClientOrderId);
    }

    [Fact]
    public async Task When_nothing_is_missing_nothing_is_lost()
    {
        var result = await new Verifier(new FakeExchange(new HashSet<string>())).VerifyAsync(Orders(1_001), default);
        Assert.Equal(0, result.Lost);
    }

    [Fact]
    public async Task Orders_that_cannot_be_looked_up_are_errors_not_silently_fine()
    {
        var result = await new Verifier(new FakeExchange(new HashSet<string>(), fail: true), batchSize: 10).VerifyAsync(Orders(25), default);
        Assert.Equal((0L, 25L), (result.Lost, result.LookupErrors));
        var summary = new LoadSummary(25, 25, 0, result.LookupErrors, result.Lost, 1, 1, 1, 1);
        Assert.False(summary.Passed(0.001));
    }
}
