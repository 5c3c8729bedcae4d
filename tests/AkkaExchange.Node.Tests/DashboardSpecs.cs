using System.Text.RegularExpressions;
using AkkaExchange.TestSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// The dashboard (<c>/dashboard</c>) in a real browser: Debian's headless Chromium driven by Playwright
/// (scripts/test-tool.sh installs it when missing), against a three-node cluster. The screenshot goes to
/// <c>TestResults/dashboard.png</c> in the repository.
/// </summary>
public sealed class DashboardSpecs(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private static readonly LocatorAssertionsToHaveCountOptions CountPatience = new() { Timeout = (float)Patience.TotalMilliseconds };
    private static readonly LocatorAssertionsToContainTextOptions TextPatience = new() { Timeout = (float)Patience.TotalMilliseconds };

    [Fact]
    public async Task It_shows_the_members_the_shard_map_and_a_book_that_moves_when_an_order_is_placed_without_a_console_error()
    {
        var chromium = await ChromiumAsync();
        await using var cluster = new ClusterHarness();
        foreach (var id in new[] { "n1", "n2", "n3" }) await cluster.StartAsync(id);
        await cluster.WaitOwnedByAsync(["n1", "n2", "n3"], Patience, balanced: true);
        await ClusterHarness.WaitAllSymbolsAnswerAsync(cluster.Nodes["n1"], Patience);
        // Some trading first, entered on another node than the page's, so that the charts have a line.
        for (var i = 0; i < 20; i++)
        {
            await ClusterHarness.PlaceAsync(cluster.Nodes["n2"], "MSFT", "DASH-S", $"s{i}", "sell", "50.00", 1);
            await ClusterHarness.PlaceAsync(cluster.Nodes["n3"], "MSFT", "DASH-B", $"b{i}", "buy", "50.00", 1);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1300 } });
        var problems = new List<string>();
        // Chromium logs every non-2xx fetch; a 503 (the cluster did not answer a poll in time, on a loaded machine) is
        // a state the page shows in its status line and retries, not a fault of the page.
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning" && !m.Text.Contains("status of 503", StringComparison.Ordinal))
                lock (problems) problems.Add($"console {m.Type}: {m.Text}");
        };
        page.PageError += (_, e) => { lock (problems) problems.Add($"page error: {e}"); };
        page.RequestFailed += (_, r) => { lock (problems) problems.Add($"request failed: {r.Url} {r.Failure}"); };

        var response = await page.GotoAsync($"{cluster.Nodes["n1"].BaseAddress}dashboard?symbol=AAPL");
        Assert.Equal(200, response!.Status);

        // The members, as the cluster has them, and a shard map with every node owning symbols.
        await Assertions.Expect(page.Locator("#members tbody tr")).ToHaveCountAsync(3, CountPatience);
        foreach (var id in new[] { "n1", "n2", "n3" })
        {
            await Assertions.Expect(page.Locator($"#members tr[data-node='{id}']")).ToContainTextAsync("up", TextPatience);
            await Assertions.Expect(page.Locator($"#shard-map [data-owner='{id}']")).ToHaveCountAsync(1, CountPatience);
        }
        await Assertions.Expect(page.Locator("#shard-map")).ToContainTextAsync("AAPL", TextPatience);
        await Assertions.Expect(page.Locator("#throughput-legend")).ToContainTextAsync("n3", TextPatience);
        await Assertions.Expect(page.Locator("#settlement")).ToContainTextAsync("trades since it started", TextPatience);

        // The live book: an order entered on another node reaches the page over the public WebSocket.
        await Assertions.Expect(page.Locator("#book-state")).ToContainTextAsync("sequence", TextPatience);
        await Assertions.Expect(page.Locator("#bids")).Not.ToContainTextAsync("123.45");
        await ClusterHarness.PlaceAsync(cluster.Nodes["n2"], "AAPL", "DASH-B", "live-1", "buy", "123.45", 7);
        await Assertions.Expect(page.Locator("#bids tbody")).ToContainTextAsync("123.45", TextPatience);
        await ClusterHarness.PlaceAsync(cluster.Nodes["n3"], "AAPL", "DASH-S", "live-2", "sell", "123.45", 3);
        await Assertions.Expect(page.Locator("#trades tbody tr")).ToHaveCountAsync(1, CountPatience);
        await Assertions.Expect(page.Locator("#bids tbody")).ToContainTextAsync(new Regex(@"1\s*4\s*123\.45"), TextPatience);

        // Charts drawn from every node's activity (acknowledged orders of the last minutes).
        await Assertions.Expect(page.Locator("#throughput-chart polyline")).Not.ToHaveCountAsync(0, CountPatience);
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("live", TextPatience);

        // An action needs the operator key: without it the page says so and calls nothing; with it the run happens.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ClickAsync("#reconcile");
        await Assertions.Expect(page.Locator("#action")).ToContainTextAsync("operator key", TextPatience);
        await page.FillAsync("#key", ClusterHarness.Token);
        await page.ClickAsync("#key-form button");
        await page.ClickAsync("#reconcile");
        await Assertions.Expect(page.Locator("#action")).ToContainTextAsync("done", TextPatience);
        // The run the page asked for (the periodic reconciliation may add its own beside it) is listed, clean.
        var runId = Regex.Match(await page.Locator("#action").InnerTextAsync(), "\"runId\":(\\d+)").Groups[1].Value;
        Assert.NotEqual("", runId);
        await Assertions.Expect(page.Locator($"#runs tbody tr[data-run='{runId}']")).ToContainTextAsync("clean", TextPatience);

        var shot = Path.Combine(RepositoryPaths.Root, "TestResults", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine($"screenshot: {shot}");
        lock (problems) Assert.Empty(problems);
    }

    private static async Task<string> ChromiumAsync()
    {
        var (code, stdout, stderr) = await RepoScript.RunAsync("test-tool.sh", "chromium", "chromium");
        if (code != 0) throw new InvalidOperationException($"no Chromium for the browser spec (scripts/test-tool.sh exited {code}): {stderr.Trim()}");
        return stdout.Trim();
    }
}
