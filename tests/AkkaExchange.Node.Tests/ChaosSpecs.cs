using System.Diagnostics;
using System.Text.RegularExpressions;
using AkkaExchange.TestSupport;
using Xunit.Abstractions;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// Chaos: three nodes under the load client; every 10 s for a minute a random node is killed with kill -9 and
/// restarted. Afterwards the load client's verification finds every acknowledged order (lost=0), every journal is
/// consistent (contiguous, each trade id once), every book its owner serves equals the replay of its journal, and
/// every shard is owned by exactly one live node. CI runs it at 300 orders/s with at most 5 % errors (a request
/// that finds no owner within the node's 10 s request timeout; each kill leaves a third of the symbols without an
/// owner for the hand-over, measured p50 1.3–1.5 s, and the restarted node takes shards back; measured 0–0.7 %,
/// 8.5 % on CI before the hand-over changes); AKKAEX_CHAOS_RATE sets another rate and AKKAEX_CHAOS_MAX_ERROR_RATE
/// the error budget (the AEX rate, 10000, is a measurement run: docs/benchmarks.md).
/// </summary>
public sealed class ChaosSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_a_random_node_every_ten_seconds_loses_no_acknowledged_order()
    {
        // Every acknowledged order is looked up afterwards: each symbol must remember all of its finished orders
        // (at the AEX rate on 8 symbols that is ~80k each, beyond the default retention).
        await using var cluster = new ClusterHarness(new Dictionary<string, string> { ["Exchange__RetainedDoneOrders"] = "1000000" });
        foreach (var id in new[] { "c1", "c2", "c3" }) await cluster.StartAsync(id);
        await cluster.WaitOwnedByAsync(["c1", "c2", "c3"], TimeSpan.FromSeconds(30), balanced: true);

        var urls = string.Join(',', cluster.Nodes.Values.Select(n => n.BaseAddress.ToString().TrimEnd('/')));
        var rate = Environment.GetEnvironmentVariable("AKKAEX_CHAOS_RATE") is { Length: > 0 } r ? r : "300";
        // Errors (requests that timed out or found no owner) are availability, measured and reported; what the chaos
        // must never do is lose an acknowledged order or corrupt a journal. Overloaded runs raise the error budget.
        var errorBudget = Environment.GetEnvironmentVariable("AKKAEX_CHAOS_MAX_ERROR_RATE") is { Length: > 0 } m ? m : "0.05";
        await using var load = LoadClient.Start(["--profile", "custom", "--symbols", "8", "--brokers", "10", "--customers", "10", "--rate", rate,
            "--mix", "limit=80,market=5,ioc=5,cancel=10,amend=0", "--seconds", "62", "--warmup", "1", "--url", urls, "--max-error-rate", errorBudget]);

        await load.WaitSendingAsync(TimeSpan.FromSeconds(60));
        var rng = new Random(11);
        var handovers = new List<TimeSpan>();
        for (var round = 0; round < 6; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(8));
            var victim = cluster.Nodes.Keys.OrderBy(_ => rng.Next()).First();
            await cluster.Nodes[victim].KillAsync();
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killed {victim}");
            var survivors = cluster.Nodes.Where(n => n.Key != victim && !n.Value.HasExited).Select(n => n.Key).ToArray();
            if (survivors.Length > 0)
            {
                handovers.Add(await ClusterHarness.WaitAllSymbolsAnswerAsync(cluster.Nodes[survivors[0]], TimeSpan.FromSeconds(30)));
                await cluster.WaitOwnedByAsync(survivors, TimeSpan.FromSeconds(30));
            }
            await cluster.StartAsync(victim);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {victim} restarted");
            foreach (var (node, code) in await cluster.RestartExitedAsync(except: [victim]))
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {node} had exited by itself (exit code {code}); restarted");
        }

        var lines = await load.FinishAsync(TimeSpan.FromMinutes(3));
        output.WriteLine(string.Join('\n', lines));
        output.WriteLine($"handover (kill -> every symbol answers through a survivor): p50 {Median(handovers).TotalMilliseconds:F0} ms, max {handovers.Max().TotalMilliseconds:F0} ms");
        var summary = Regex.Match(lines[^1], @"^load: sent=(\d+) acked=(\d+) rejected=(\d+) errors=(\d+) lost=(\d+)");
        Assert.True(summary.Success, $"no summary line: {lines[^1]}\n{load.Errors}");
        Assert.Equal("0", summary.Groups[5].Value);
        Assert.True(long.Parse(summary.Groups[2].Value) > 10_000, $"too few acknowledged orders: {lines[^1]}");
        Assert.True(load.ExitCode == 0, $"load client failed: {lines[^1]}");

        foreach (var (node, code) in await cluster.RestartExitedAsync(except: []))
            output.WriteLine($"{node} had exited by itself (exit code {code}); restarted");
        // Balanced: Akka has finished moving shards back to the restarted node, so the views below agree.
        await cluster.WaitOwnedByAsync(cluster.Nodes.Keys.ToArray(), TimeSpan.FromSeconds(60), balanced: true);
        var owners = new Dictionary<int, string>();
        foreach (var s in await ClusterHarness.ShardsAsync(cluster.Nodes["c1"]))
        {
            if (s.Symbols.Length == 0) continue; // Akka allocates a shard only once it has an entity
            Assert.False(s.Expired || s.Owner is null, $"shard {s.Shard} has no live owner");
            owners[s.Shard] = s.Owner!;
        }
        foreach (var (id, node) in cluster.Nodes)
            foreach (var s in await ClusterHarness.ShardsAsync(node))
                Assert.Equal(s.ServingHere, owners.GetValueOrDefault(s.Shard) == id);
        await ClusterSpecs.AssertJournalConsistentAsync(cluster.Schema, cluster);
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);
}
