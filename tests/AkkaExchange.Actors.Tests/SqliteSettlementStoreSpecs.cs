using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.TestSupport;
using Microsoft.Data.Sqlite;

namespace AkkaExchange.Actors.Tests;

/// <summary>The settlement suite embedded: the journal in one SQLite file, the ledger in another (as a node without PostgreSQL).</summary>
public sealed class SqliteSettlementStoreSpecs : SettlementStoreSpecs
{
    private readonly string _path;

    public SqliteSettlementStoreSpecs() : this(Path.Combine(RepositoryPaths.TempDirectory("ledger"), Guid.NewGuid().ToString("N")))
    {
    }

    private SqliteSettlementStoreSpecs(string stem) : base(AkkaConfigs.Sqlite(stem + "-journal.db")) => _path = stem + "-ledger.db";

    protected override Task<SettlementStore> OpenAsync() => Task.FromResult<SettlementStore>(new SqliteSettlementStore(_path));

    protected override async Task<int> ExecuteAsync(string sql)
    {
        await using var c = new SqliteConnection($"Data Source={_path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = new SqliteCommand(sql, c);
        return await cmd.ExecuteNonQueryAsync();
    }

    protected override async Task<long> ScalarAsync(string sql)
    {
        await using var c = new SqliteConnection($"Data Source={_path};Pooling=False");
        await c.OpenAsync();
        await using var cmd = new SqliteCommand(sql, c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
