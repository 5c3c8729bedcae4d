using AkkaExchange.Actors.Domain.Settlement;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Persistence.Settlement;
using AkkaExchange.TestSupport;
using Npgsql;

namespace AkkaExchange.Actors.Tests;

/// <summary>The settlement suite on PostgreSQL (the cluster's ledger), plus the singleton fence.</summary>
public sealed class PostgresSettlementStoreSpecs : SettlementStoreSpecs
{
    private readonly string _schema = TestPostgres.NewSchema();
    private PostgresJournalOptions _options = null!;

    protected override async Task<(IJournal Journal, SettlementStore Store)> OpenAsync()
    {
        _options = new PostgresJournalOptions(await TestPostgres.ConnectionStringAsync(), _schema);
        return (new PostgresJournal(_options), new PostgresSettlementStore(_options));
    }

    private async Task<NpgsqlConnection> ConnectAsync()
    {
        var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_options.ConnectionString) { SearchPath = _schema }.ConnectionString);
        await c.OpenAsync();
        return c;
    }

    protected override async Task<int> ExecuteAsync(string sql)
    {
        await using var c = await ConnectAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return await cmd.ExecuteNonQueryAsync();
    }

    protected override async Task<long> ScalarAsync(string sql)
    {
        await using var c = await ConnectAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Settlement_retries_a_refused_commit_and_then_settles_every_trade_once()
    {
        using var presence = new PostgresPresence(_options);
        presence.Open();
        await using (var members = new PostgresMembership(_options))
            await members.HeartbeatAsync("A", "http://a", "a:1", DateTimeOffset.UtcNow, "up", presence.Key);
        await using var leases = new PostgresSingletonLeases(_options);
        var epoch = (await leases.TryAcquireAsync("settlement", "A", TimeSpan.FromMinutes(5)))!.Value;
        await JournalTradesAsync(120, 9);
        await ExecuteAsync("UPDATE singleton_leases SET lease_until = now() - interval '1 second'");

        await using var system = new AkkaExchange.Actors.Kernel.ActorSystem();
        var fees = new FeeSchedule(2, 1);
        var actor = system.Spawn("settlement", () => new AkkaExchange.Actors.Settlement.SettlementActor(Store, fees, new SingletonToken("settlement", epoch, "A"),
            AkkaExchange.Actors.Settlement.SettlementSettings.Default, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        await Task.Delay(1_500);
        Assert.Equal(0, await CountAsync("ledger_postings")); // the fence refused every batch

        await ExecuteAsync("UPDATE singleton_leases SET lease_until = now() + interval '5 minutes'");
        for (var i = 0; i < 300 && (await actor.Ask<AkkaExchange.Actors.Settlement.SettlementStatus>(
                 AkkaExchange.Actors.Settlement.GetSettlementStatus.Instance, TimeSpan.FromSeconds(10))).OffsetTotal < JournalEnd; i++)
            await Task.Delay(50);
        Assert.Equal(Trades.Sum(t => SettlementLogic.Settle(t, fees).Postings.Count), await CountAsync("ledger_postings"));
        Assert.Equal(2 * Trades.Count, await CountAsync("settlements"));
    }

    [Fact]
    public async Task A_singleton_that_lost_its_lease_commits_nothing()
    {
        await using var leases = new PostgresSingletonLeases(_options);
        await using var members = new PostgresMembership(_options);
        using var presence = new PostgresPresence(_options);
        presence.Open();
        await members.HeartbeatAsync("A", "http://a", "a:1", DateTimeOffset.UtcNow, "up", presence.Key);
        var epoch = (await leases.TryAcquireAsync("settlement", "A", TimeSpan.FromMinutes(5)))!.Value;
        await using var store = new PostgresSettlementStore(_options);
        var legs = new Posting[] { new("X", 1, "BD001-C001", "CASH", 5), new("X", 1, "BD002-C001", "CASH", -5) };
        Assert.Equal(2, await store.CommitAsync(new SettlementBatch(legs, []), new SingletonToken("settlement", epoch, "A")));

        await leases.ReleaseAsync("settlement", "A", epoch);
        var more = new Posting[] { new("X", 2, "BD001-C001", "CASH", 5), new("X", 2, "BD002-C001", "CASH", -5) };
        await Assert.ThrowsAsync<LeaseLostException>(() => store.CommitAsync(new SettlementBatch(more, []), new SingletonToken("settlement", epoch, "A")));
        Assert.Equal(2, await ScalarAsync("SELECT COUNT(*) FROM ledger_postings"));
    }
}
