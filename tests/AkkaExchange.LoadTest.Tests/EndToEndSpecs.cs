using System.Diagnostics;
using AkkaExchange.LoadTest;
using AkkaExchange.TestSupport;

namespace AkkaExchange.LoadTest.Tests;

/// <summary>The load tool as a user runs it, against a real node process.</summary>
public sealed class EndToEndSpecs
{
    [Theory]
    [InlineData("ws")]
    [InlineData("http")]
    public async Task A_short_run_against_a_real_node_loses_nothing_and_ends_with_the_summary_line(string transport)
    {
        var dir = RepositoryPaths.TempDirectory("loadtest");
        await using var node = await NodeProcess.StartAsync(dir, ["--data-dir", "data", "--symbols", "AAPL,MSFT,TSLA,NVDA"]);
        var tool = Path.Combine(AppContext.BaseDirectory, "AkkaExchange.LoadTest.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in new[] { tool, "--profile", "custom", "--symbols", "4", "--brokers", "4", "--customers", "10", "--rate", "300",
                     "--mix", "limit=60,market=10,ioc=10,cancel=15,amend=5", "--seconds", "3", "--warmup", "1", "--transport", transport,
                     "--url", node.BaseAddress.ToString(), "--report", Path.Combine(dir, "report") })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}\n{string.Join('\n', lines)}\n{await stderr}");
        var summary = LoadSummary.Parse(lines[^1]) ?? throw new Xunit.Sdk.XunitException($"last line is not the summary: {lines[^1]}");
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Errors);
        Assert.InRange(summary.Sent, 600, 1_200);
        Assert.Equal(summary.Sent, summary.Acked + summary.Rejected);
        Assert.Contains(lines, l => l.StartsWith("[    1s] sent=", StringComparison.Ordinal));
        Assert.Contains("\"lost\": 0", File.ReadAllText(Path.Combine(dir, "report.json")));
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "report.html")));
    }
    [Fact]
    public async Task Given_both_regions_it_follows_the_active_one_through_a_failover_and_loses_no_acknowledged_order()
    {
        await using var regions = new RegionPair();
        var (a, b) = await regions.StartAsync("sync", TimeSpan.FromSeconds(60));

        var dir = RepositoryPaths.TempDirectory("loadtest-regions");
        var tool = Path.Combine(AppContext.BaseDirectory, "AkkaExchange.LoadTest.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var arg in new[] { tool, "--profile", "custom", "--symbols", "4", "--brokers", "4", "--customers", "10", "--rate", "200",
                     "--mix", "limit=70,market=10,ioc=10,cancel=10", "--seconds", "12", "--warmup", "1",
                     "--url", $"{a.BaseAddress},{b.BaseAddress}" })
            psi.ArgumentList.Add(arg);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();

        // Region A dies whole a third of the way in; the operator fails over to B.
        await Task.Delay(TimeSpan.FromSeconds(4));
        await regions.CrashAsync("A");
        using (var failover = await b.Http.PostAsync("/admin/v1/region/failover", null))
            Assert.True(failover.IsSuccessStatusCode, await failover.Content.ReadAsStringAsync());

        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}\n{string.Join('\n', lines)}\n{await stderr}");
        // Its lanes on the standby moved to the active region at the start, and to B after the failover.
        Assert.Contains(lines, l => l.Contains("region does not take orders; moving", StringComparison.Ordinal));
        var summary = LoadSummary.Parse(lines[^1]) ?? throw new Xunit.Sdk.XunitException($"last line is not the summary: {lines[^1]}");
        // Verified through the API of the surviving region: every acknowledged order is there, none was refused for good.
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Errors);
        Assert.Equal(summary.Sent, summary.Acked + summary.Rejected);
    }
}
