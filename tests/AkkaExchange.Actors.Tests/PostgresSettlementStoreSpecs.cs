using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.TestSupport;
using Npgsql;

namespace AkkaExchange.Actors.Tests;

/// <summary>The settlement suite on PostgreSQL (the cluster's journal and ledger), in a schema of its own.</summary>
public sealed class PostgresSettlementStoreSpecs : SettlementStoreSpecs
{
    private readonly string _schema;
    private readonly string _connectionString;

    public PostgresSettlementStoreSpecs() : this(TestPostgres.NewSchema(), TestPostgres.ConnectionStringAsync().GetAwaiter().GetResult())
    {
    }

    private PostgresSettlementStoreSpecs(string schema, string connectionString) : base(AkkaConfigs.Postgres(connectionString, schema)) =>
        (_schema, _connectionString) = (schema, connectionString);

    protected override Task<SettlementStore> OpenAsync() => Task.FromResult<SettlementStore>(new PostgresSettlementStore(_connectionString, _schema));

    private async Task<NpgsqlConnection> ConnectAsync()
    {
        var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { SearchPath = _schema }.ConnectionString);
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
}
