using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary><c>/metrics</c> of a real node: valid Prometheus text carrying the exchange's series, which move with what the node does.</summary>
public sealed partial class MetricsSpecs
{
    [Fact]
    public async Task The_scrape_is_valid_Prometheus_text_and_counts_orders_writes_members_and_symbols()
    {
        var dir = RepositoryPaths.TempDirectory("metrics");
        await using var node = await NodeProcess.StartAsync(dir, ["--data-dir", "data", "--symbols", "AAPL,MSFT"]);
        var before = Series(await node.Http.GetStringAsync("/metrics"));

        // Two orders that cross (two customers, so no self-trade), then a repeat of the first's clientOrderId: refused.
        foreach (var (account, id, side) in new[] { ("BD001-C001", "m1", "sell"), ("BD001-C002", "m2", "buy"), ("BD001-C001", "m1", "buy") })
        {
            var body = $$"""{"account":"{{account}}","clientOrderId":"{{id}}","symbol":"AAPL","side":"{{side}}","price":"100.00","quantity":10}""";
            using var _ = await node.Http.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json"));
        }
        var text = await node.Http.GetStringAsync("/metrics");
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
            Assert.Matches(SampleLine(), line);
        var after = Series(text);

        double Delta(string name) => after.GetValueOrDefault(name) - before.GetValueOrDefault(name);
        Assert.Equal(2, Delta("akkaex_orders_total{outcome=\"acknowledged\"}"));
        Assert.Equal(1, Delta("akkaex_orders_total{outcome=\"rejected\"}"));
        Assert.Equal(3, Delta("akkaex_order_duration_seconds_count"));
        Assert.True(Delta("akkaex_journal_write_duration_seconds_count") >= 1);
        Assert.True(Delta("akkaex_journal_write_commands_sum") >= 2);
        Assert.Equal(1, after["akkaex_cluster_members{status=\"up\"}"]);
        Assert.Equal(0, after["akkaex_cluster_unreachable"]);
        Assert.Equal(2, after["akkaex_symbols_here"]);
        Assert.InRange(after["akkaex_shards_here"], 1, 2);
        Assert.Equal(1, after["akkaex_region_accepts_orders"]);
        Assert.Equal(1, after["akkaex_settlement_singleton_running{singleton=\"settlement\"}"]);
        Assert.Equal(1, after["akkaex_settlement_singleton_running{singleton=\"reconciliation\"}"]);

        // The two orders traded: settlement commits the trade within its poll, and the scrape says so.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Series(await node.Http.GetStringAsync("/metrics")).GetValueOrDefault("akkaex_settlement_trades") < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the trade was never counted as settled");
            await Task.Delay(200);
        }
    }

    private static Dictionary<string, double> Series(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => !l.StartsWith('#'))
        .Select(l => (Name: l[..l.LastIndexOf(' ')], Value: l[(l.LastIndexOf(' ') + 1)..]))
        .ToDictionary(s => s.Name, s => double.Parse(s.Value, CultureInfo.InvariantCulture));

    // Prometheus text format 0.0.4: name, optional {label="value",...}, a value (with an optional timestamp).
    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.]+(e[+-]?[0-9]+)?|NaN|[+-]Inf)( -?[0-9]+)?$""")]
    private static partial Regex SampleLine();
}
