using Akka.Persistence.Sql.Config;
using AkkaExchange.Node.Cluster;
using LinqToDB;
using LinqToDB.Data;
using AkkaExchange.Actors.Persistence;

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
        return new DataOptionsSetup(JournalTuning.SqliteDataOptions(s.JournalPath, o.SqliteSynchronous));
    }
}
