using LinqToDB;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// How the exchange tunes Akka.Persistence.Sql's journal, shared by the node and the benchmarks so that what is
/// measured is what runs. Each value departs from the plugin's default for a measured reason.
/// </summary>
public static class JournalTuning
{
    /// <summary>The settings to put inside <c>akka.persistence.journal.sql { … }</c>.</summary>
    public static string Hocon(bool postgres) => $$"""
        {{ReadIsolation(postgres)}}
        # One writer at a time on SQLite (a second only waits for the lock); on PostgreSQL, several.
        parallelism = {{(postgres ? 3 : 1)}}
        batch-size = 100
        buffer-size = 50000
        # Multi-row INSERTs for every batch of more than one row (PostgreSQL: measured 11-37 % faster).
        max-row-by-row-size = {{(postgres ? 1 : 100)}}
        """;

    /// <summary>
    /// The setting for every plugin that reads (journal, snapshot store, query journal). The plugin reads inside a
    /// transaction, and Microsoft.Data.Sqlite begins one of the default level with <c>BEGIN IMMEDIATE</c>, which takes
    /// the file's write lock: every read by the query side (settlement polls each symbol) stalled the journal's writer,
    /// which slept in SQLite's busy handler (16 % of the node's thread time at the AEX rate). Read-uncommitted is the
    /// level it begins as a deferred <c>BEGIN</c>; in WAL mode without a shared cache that still reads a committed
    /// snapshot. PostgreSQL keeps its default (read committed).
    /// </summary>
    public static string ReadIsolation(bool postgres) => postgres ? "" : "read-isolation-level = read-uncommitted";

    /// <summary>
    /// Puts a SQLite journal file in WAL mode (a property of the file, kept by every later connection): commits append
    /// to the log instead of rewriting pages, 1.4-2.3x faster than the rollback journal.
    /// </summary>
    public static void UseWal(string path)
    {
        SQLitePCL.Batteries_V2.Init();
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString());
        c.Open();
        Execute(c, "PRAGMA journal_mode=WAL");
    }

    /// <summary>
    /// linq2db options for Akka.Persistence.Sql on a SQLite file (give them as a <c>DataOptionsSetup</c>): every
    /// connection sets the durability (<paramref name="synchronous"/>: FULL, NORMAL or EXTRA; it is per connection).
    /// </summary>
    public static DataOptions SqliteDataOptions(string path, string synchronous)
    {
        var sqlite = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 };
        var pragma = $"PRAGMA synchronous={synchronous}";
        var options = new DataOptions().UseConnectionString(ProviderName.SQLiteMS, sqlite.ToString());
        return options.WithOptions(options.ConnectionOptions.WithAfterConnectionOpened(
            c => Execute(c, pragma),
            async (c, _) =>
            {
                // Microsoft.Data.Sqlite's async methods complete synchronously, so without a yield the plugin's write
                // stage would run each write to its commit inside the stream and never let a batch form behind it:
                // one row per commit. Yielding here frees the stream while this write runs, and the writes that
                // arrive meanwhile go together in the next commit.
                await Task.Yield();
                Execute(c, pragma);
            }));
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
