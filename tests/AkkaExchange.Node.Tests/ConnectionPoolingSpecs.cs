using AkkaExchange.TestSupport;
using Npgsql;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// A connection string that turns Npgsql's pooling off makes every journal read and ledger write open a connection
/// (settlement catch-up crawled at ~150 notices/s on the restore benchmark): the node still starts, and says so.
/// </summary>
public sealed class ConnectionPoolingSpecs
{
    [Fact]
    public async Task A_node_on_an_unpooled_connection_string_warns_and_one_on_a_pooled_one_does_not()
    {
        var unpooled = new NpgsqlConnectionStringBuilder(await TestPostgres.ConnectionStringAsync()) { Pooling = false }.ConnectionString;
        await using var warned = new ClusterHarness(new Dictionary<string, string> { ["Exchange__ConnectionString"] = unpooled });
        var node = await warned.StartAsync("n1");
        Assert.Contains("Pooling=false", node.ReadLog());

        await using var quiet = new ClusterHarness();
        Assert.DoesNotContain("Pooling=false", (await quiet.StartAsync("n1")).ReadLog());
    }
}
