using System.Net.Http.Json;
using System.Text.Json;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.TestSupport;
using Npgsql;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// Settlement as a cluster singleton: the node running it is killed (kill -9) under load; the singleton restarts on
/// a survivor from its committed offsets, and in the end every trade is settled exactly once.
/// </summary>
public sealed class SettlementClusterSpecs
{
    [Fact]
    public async Task Killing_the_settlement_singletons_node_under_load_settles_every_trade_exactly_once()
    {
        await using var cluster = new ClusterHarness();
        foreach (var id in new[] { "z1", "z2", "z3" }) await cluster.StartAsync(id);
        await cluster.WaitOwnedByAsync(["z1", "z2", "z3"], TimeSpan.FromSeconds(30), balanced: true);
        var urls = string.Join(',', cluster.Nodes.Values.Select(n => n.BaseAddress.ToString().TrimEnd('/')));
        await using var load = LoadClient.Start(["--profile", "custom", "--symbols", "8", "--brokers", "5", "--customers", "6", "--rate", "300",
                "--mix", "limit=70,market=15,ioc=5,cancel=10,amend=0", "--seconds", "16", "--warmup", "1", "--url", urls, "--max-error-rate", "0.02",
                "--opening-cash", "1000000", "--opening-shares", "100000"],
            new Dictionary<string, string> { ["AKKAEX_ADMIN_TOKEN"] = ClusterHarness.Token });

        await load.WaitSendingAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var (victim, epoch) = await ClusterSpecs.WaitSingletonAsync(cluster, "settlement", except: null);
        await cluster.Nodes[victim].KillAsync();
        var (next, nextEpoch) = await ClusterSpecs.WaitSingletonAsync(cluster, "settlement", except: victim);
        Assert.True(nextEpoch > epoch);
        await cluster.StartAsync(victim);

        var lines = await load.FinishAsync(TimeSpan.FromMinutes(2));
        Assert.True(load.ExitCode == 0, string.Join('\n', lines.TakeLast(5)) + load.Errors);

        var connection = new NpgsqlConnectionStringBuilder(await TestPostgres.ConnectionStringAsync()) { SearchPath = cluster.Schema }.ConnectionString;
        async Task<System.Data.Common.DbConnection> Open()
        {
            var c = new NpgsqlConnection(connection);
            await c.OpenAsync();
            return c;
        }
        await LedgerAudit.WaitCaughtUpAsync(Open, TimeSpan.FromMinutes(1));
        await using (var c = await Open()) await LedgerAudit.AssertSettledExactlyOnceAndConservedAsync(c, new FeeSchedule(2, 1));

        // The reconciliation singleton, wherever it runs, agrees: nothing missing, nothing extra.
        using var response = await cluster.Nodes[next].Http.PostAsJsonAsync("/api/v1/reconciliation/runs", new { scope = "full" });
        using var run = await response.Content.ReadFromJsonAsync<JsonDocument>();
        Assert.Equal(("clean", 0L, 0L), (run!.RootElement.GetProperty("outcome").GetString(), run.RootElement.GetProperty("missing").GetInt64(),
            run.RootElement.GetProperty("extra").GetInt64()));
    }
}
