using Akka.Persistence.Sql.Config;
using AkkaExchange.Node.Cluster;
using LinqToDB;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;

namespace AkkaExchange.Node.Hosting;

/// <summary>
/// Where Akka.Persistence.Sql's journal, snapshot store and query journal connect, as a setup (linq2db data options)
/// rather than HOCON, so that a connection string with its password never goes into the configuration. On
/// PostgreSQL every session names the node and its presence key (<see cref="JournalFence"/>); on SQLite every
/// connection sets the configured durability (synchronous is per connection).
/// </summary>
public static class PersistenceSetup
{
    public static DataOptionsSetup Create(NodeSettings s)
    {
        var o = s.Options;
        if (o.Journal == "postgres")
        {
            var connection = LeaseKeeper.ConnectionString(o.ConnectionString!, o.PostgresSchema,
                o.Cluster ? JournalFence.SessionOptions(s.LeaseOwner, s.PresenceKey) : null);
            return new DataOptionsSetup(new DataOptions().UseConnectionString(ProviderName.PostgreSQL15, connection));
        }
        var sqlite = new SqliteConnectionStringBuilder { DataSource = s.JournalPath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 };
        var pragma = $"PRAGMA synchronous={o.SqliteSynchronous}";
        var options = new DataOptions().UseConnectionString(ProviderName.SQLiteMS, sqlite.ToString());
        return new DataOptionsSetup(options.WithOptions(options.ConnectionOptions.WithAfterConnectionOpened(
            c => Execute(c, pragma),
            async (c, ct) =>
            {
                // Microsoft.Data.Sqlite's async methods complete synchronously, so without a yield the plugin's write
                // stage would run each write to its commit inside the stream and never let a batch form behind it:
                // one row per commit. Yielding here frees the stream while this write runs, and the writes that
                // arrive meanwhile go together in the next commit.
                await Task.Yield();
                await using var cmd = c.CreateCommand();
                cmd.CommandText = pragma;
                await cmd.ExecuteNonQueryAsync(ct);
            })));
    }

    private static void Execute(System.Data.Common.DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
