using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Node.Cluster;
using AkkaExchange.Node.Regions;
using Npgsql;

namespace AkkaExchange.Node.Hosting;

/// <summary>
/// Prepares the databases before the actor system starts (it is registered first): the data directory and the
/// SQLite journal's WAL mode embedded; the schema, the journal's fence, the lease and presence tables in PostgreSQL;
/// the ledger's tables either way. Nodes starting together take turns (an advisory lock).
/// </summary>
public sealed class SchemaInitializer(NodeSettings settings, SettlementStore ledger, DataDirectoryLock dataLock, ILogger<SchemaInitializer> log) : IHostedService
{
    private const long DdlLock = 7342001;

    public async Task StartAsync(CancellationToken cancellation)
    {
        var o = settings.Options;
        if (o.Journal == "postgres")
        {
            // Every journal read, snapshot and ledger batch would open its own connection: a settlement backlog then
            // drains at a few hundred notices a second instead of thousands (docs/benchmarks.md, restore on PostgreSQL).
            if (!new NpgsqlConnectionStringBuilder(o.ConnectionString).Pooling)
                log.LogWarning("node {Node}: the connection string sets Pooling=false; every database call opens a connection, which slows the journal and settlement many times over — remove it", o.NodeId);
            if (!await PreparePostgresAsync(cancellation))
            {
                // A standby region: its schema and ledger arrive from the primary by replication, and a replica takes no writes.
                log.LogInformation("node {Node}: region {Region}'s database is a replica; schema left to replication", o.NodeId, o.Region);
                return;
            }
        }
        else PrepareSqlite();
        await ledger.InitializeAsync(settings.Instruments.Keys.Select(SymbolEntity.PersistenceIdOf), cancellation);
        if (o.Journal != "postgres") RestrictFiles();
        log.LogInformation("node {Node}: {Symbols} symbols, journal {Journal}, {Where}", o.NodeId, settings.Instruments.Count, o.Journal,
            o.Journal == "postgres" ? $"schema {o.PostgresSchema}" : $"data directory {settings.DataDirectory}");
    }

    // Orders, positions and cash are the members' secrets: only the node's own user may read them. SQLite gives
    // the -wal and -shm files it creates later the mode of their database file.
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private void PrepareSqlite()
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(settings.DataDirectory);
        else
        {
            Directory.CreateDirectory(settings.DataDirectory, OwnerOnlyDirectory);
            File.SetUnixFileMode(settings.DataDirectory, OwnerOnlyDirectory);
        }
        dataLock.Acquire(settings.DataDirectory);
        JournalTuning.UseWal(settings.JournalPath);
    }

    private void RestrictFiles()
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var file in Directory.EnumerateFiles(settings.DataDirectory)) File.SetUnixFileMode(file, OwnerOnlyFile);
    }

    /// <summary>Creates the schema and its tables; false, touching nothing, when a region's database is a replica.</summary>
    private async Task<bool> PreparePostgresAsync(CancellationToken cancellation)
    {
        var o = settings.Options;
        await using var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(o.ConnectionString!).ConnectionString);
        await using var c = await source.OpenConnectionAsync(cancellation);
        if (o.Region is not null && await RegionSql.InRecoveryAsync(c, cancellation)) return false;
        await using var tx = await c.BeginTransactionAsync(cancellation);
        await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({DdlLock}); CREATE SCHEMA IF NOT EXISTS {o.PostgresSchema}; SET LOCAL search_path TO {o.PostgresSchema};", c, tx))
            await cmd.ExecuteNonQueryAsync(cancellation);
        await using (var cmd = new NpgsqlCommand(JournalTables.Postgres + LeaseSql.CreateTable + PresenceDowning.CreateTable + JournalFence.Sql(JournalTables.PostgresJournal), c, tx))
            await cmd.ExecuteNonQueryAsync(cancellation);
        var shardLease = settings.Instruments.Keys.ToDictionary(SymbolEntity.PersistenceIdOf,
            symbol => $"{AkkaComposition.SystemName}-shard-{SymbolRegion.TypeName}-{settings.Shards.ShardOf(symbol)}");
        await JournalFence.MapAsync(c, tx, shardLease, cancellation);
        if (o.Region is { } region) await RegionSql.SeedAsync(c, tx, region, cancellation);
        await tx.CommitAsync(cancellation);
        return true;
    }

    public Task StopAsync(CancellationToken cancellation) => Task.CompletedTask;
}
