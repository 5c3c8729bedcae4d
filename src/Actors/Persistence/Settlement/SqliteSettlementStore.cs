using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AkkaExchange.Actors.Persistence.Settlement;

/// <summary>
/// The embedded ledger: tables in the journal's SQLite file. Transactions begin IMMEDIATE, so writers take turns
/// with the journal's group commit; there is no lease to fence (one node).
/// </summary>
public sealed class SqliteSettlementStore(string journalPath) : SettlementStore
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = journalPath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellation)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(cancellation).ConfigureAwait(false);
        return c;
    }

    protected override Task PrepareSchemaAsync(DbConnection c, DbTransaction tx, CancellationToken cancellation) => Task.CompletedTask;

    protected override Task LockWritersAsync(DbConnection c, DbTransaction tx, CancellationToken cancellation) => Task.CompletedTask;

    protected override Task CheckFenceAsync(DbConnection c, DbTransaction tx, SingletonToken fence, CancellationToken cancellation) =>
        throw new NotSupportedException("the embedded ledger has no singleton leases to fence");

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
