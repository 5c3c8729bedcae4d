using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>The operator CLI (<c>akkaex</c>, src/Cli) run as a process against a real three-node cluster, as an operator runs it.</summary>
public sealed class CliSpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task It_shows_the_cluster_and_its_shards_and_downs_a_frozen_member()
    {
        // The split-brain resolver waits a minute here, so that the frozen member is downed by the CLI, not by it.
        await using var cluster = new ClusterHarness(new Dictionary<string, string> { ["Exchange__DowningStableAfter"] = "00:01:00" });
        foreach (var id in new[] { "n1", "n2", "n3" }) await cluster.StartAsync(id);
        await cluster.WaitOwnedByAsync(["n1", "n2", "n3"], Patience, balanced: true);
        var url = cluster.Nodes["n1"].BaseAddress.ToString();

        var members = await JsonAsync(url, "cluster", "show");
        Assert.Equal(["n1", "n2", "n3"], Members(members).Select(m => m.GetProperty("nodeId").GetString()).Order());
        Assert.All(Members(members), m => Assert.Equal("up", m.GetProperty("status").GetString()));

        var stats = (await JsonAsync(url, "cluster", "sharding", "region-stats")).GetProperty("regions").EnumerateArray().ToArray();
        Assert.Equal(["n1", "n2", "n3"], stats.Select(s => s.GetProperty("node").GetString()).Order());
        Assert.Equal(ClusterHarness.Symbols.Split(',').Length, stats.Sum(s => s.GetProperty("entities").GetInt32()));
        // The same state hashes through any node: every symbol, and the one ledger.
        var state = await JsonAsync(url, "state");
        Assert.Equal(ClusterHarness.Symbols.Split(',').Order(), state.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()));
        Assert.Equal(state.ToString(), (await JsonAsync(cluster.Nodes["n2"].BaseAddress.ToString(), "state")).ToString());
        var location = await JsonAsync(url, "cluster", "sharding", "shard-locations", "AAPL");
        Assert.Equal((await cluster.OwnerOfAsync("AAPL")).Port, cluster.Nodes[location.GetProperty("owner").GetString()!].Port);

        // Frozen, n3 keeps its presence, so only the failure detector sees it: unreachable, until the operator downs it.
        var frozen = cluster.Nodes["n3"];
        await frozen.SignalAsync("STOP");
        try
        {
            var deadline = DateTime.UtcNow + Patience;
            while (Members(await JsonAsync(url, "cluster", "show")).All(m => m.GetProperty("reachable").GetBoolean()))
            {
                Assert.True(DateTime.UtcNow < deadline, "n3 was never marked unreachable");
                await Task.Delay(250);
            }
            var downed = await JsonAsync(url, "cluster", "down-unreachable");
            Assert.Equal(["n3"], downed.GetProperty("downed").EnumerateArray().Select(d => d.GetString()));
            while (Members(await JsonAsync(url, "cluster", "show")).Any(m => m.GetProperty("nodeId").GetString() == "n3"))
            {
                Assert.True(DateTime.UtcNow < deadline, "n3 was never removed");
                await Task.Delay(250);
            }
            await cluster.WaitOwnedByAsync(["n1", "n2"], Patience);
        }
        finally
        {
            await frozen.SignalAsync("CONT");
        }
    }

    [Fact]
    public async Task A_wrong_key_an_unreachable_node_and_a_wrong_command_each_have_their_exit_code_and_one_line()
    {
        await using var cluster = new ClusterHarness();
        var node = await cluster.StartAsync("n1");
        var url = node.BaseAddress.ToString();
        var (wrongKey, _, keyError) = await RunAsync(["cluster", "show", "--url", url, "--key", "not-the-key-0123456789"]);
        Assert.Equal(4, wrongKey);
        Assert.Contains("401", keyError);
        var (unreachable, _, unreachableError) = await RunAsync(["cluster", "show", "--url", $"http://127.0.0.1:{FreePort.Next()}", "--key", ClusterHarness.Token]);
        Assert.Equal(3, unreachable);
        Assert.StartsWith("akkaex: no answer from", unreachableError);
        var (typo, _, typoError) = await RunAsync(["cluster", "shw", "--url", url]);
        Assert.Equal(2, typo);
        Assert.Contains("shw", typoError);
        var (unknownSymbol, _, symbolError) = await RunAsync(["cluster", "sharding", "shard-locations", "NOPE", "--url", url, "--key", ClusterHarness.Token]);
        Assert.Equal(1, unknownSymbol);
        Assert.Contains("no shard holds NOPE", symbolError);
    }

    private static IEnumerable<JsonElement> Members(JsonElement answer) => answer.GetProperty("members").EnumerateArray();

    private static async Task<JsonElement> JsonAsync(string url, params string[] command)
    {
        var (code, stdout, stderr) = await RunAsync([.. command, "--json", "--url", url, "--key", ClusterHarness.Token]);
        Assert.True(code == 0, $"akkaex {string.Join(' ', command)} exited {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    /// <summary>The built CLI (of the configuration the tests were built in).</summary>
    internal static string CliDll { get; } = Path.Combine(RepositoryPaths.Root, "src", "Cli", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name,
        "net10.0", "AkkaExchange.Cli.dll");

    /// <summary>Runs the built CLI as an operator does.</summary>
    internal static Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args) =>
        ChildProcess.RunAsync("dotnet", [CliDll, .. args], timeout: TimeSpan.FromSeconds(60));
}
