using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Actors.Tests;

/// <summary>Symbol actors writing under shard leases on a real PostgreSQL.</summary>
public sealed class FencedSymbolSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_shard_whose_lease_was_taken_commits_nothing_more_and_stops_serving()
    {
        var options = new PostgresJournalOptions(await TestPostgres.ConnectionStringAsync(), TestPostgres.NewSchema());
        var shards = new ShardMap(4);
        await using var exchange = new LocalExchange(new PostgresJournal(options), [new InstrumentSpec("AAA"), new InstrumentSpec("BBB")],
            new SymbolActorSettings("A"), shards: shards);
        await exchange.StartAsync(hostAllShards: false);
        await using var leases = new PostgresShardLeases(options);
        await leases.EnsureShardsAsync(4);
        var shard = shards.ShardOf("AAA");
        var epoch = (await leases.TryAcquireAsync(shard, "A", TimeSpan.FromMinutes(5)))!.Value;
        var lost = new TaskCompletionSource<FenceToken>();
        await exchange.StartShardAsync(shard, new FenceToken(shard, epoch, "A"), f => lost.TrySetResult(f));

        var first = Assert.IsType<OrderReport>(await exchange.AskAsync(
            new PlaceOrder("AAA", "X", "c1", Side.Buy, OrderType.Limit, 100, 5, TimeInForce.Gtc, false), Timeout));
        Assert.Equal(OrderStatus.New, first.Status);

        // Another node takes the shard (here: A hands it over, B acquires it with a newer epoch).
        await leases.ReleaseAsync(shard, "A", epoch);
        Assert.Equal(epoch + 1, await leases.TryAcquireAsync(shard, "B", TimeSpan.FromMinutes(5)));

        await Assert.ThrowsAsync<ActorUnavailableException>(() => exchange.AskAsync(
            new PlaceOrder("AAA", "X", "c2", Side.Buy, OrderType.Limit, 100, 5, TimeInForce.Gtc, false), Timeout));
        Assert.Equal(new FenceToken(shard, epoch, "A"), await lost.Task.WaitAsync(Timeout));
        await Assert.ThrowsAsync<ActorUnavailableException>(() => exchange.AskAsync(new GetOrder("AAA", "X", "c1"), Timeout));
        Assert.Equal(1, await exchange.Journal.HighestSequenceNrAsync("AAA"));

        await exchange.StopShardAsync(shard);
        Assert.IsType<CommandRejected>(await exchange.AskAsync(new GetOrder("AAA", "X", "c1"), Timeout));
        Assert.Empty(exchange.HostedShards);
    }
}
