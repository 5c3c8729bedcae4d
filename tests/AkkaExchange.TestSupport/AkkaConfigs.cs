using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Serialization;

namespace AkkaExchange.TestSupport;

/// <summary>
/// Actor systems for specs and benchmarks: the exchange's serializers and Akka.Persistence.Sql on a real database — a SQLite file
/// (in WAL mode) or PostgreSQL — tuned as the node tunes it (<see cref="JournalTuning"/>). (serialize-messages stays off: Akka's
/// own journal replies carry database exceptions it cannot serialize; SerializerSpecs checks every message of ours, and every journal row is serialized for real.)
/// </summary>
public static class AkkaConfigs
{
    public static Config Sqlite(string path, string logLevel = "INFO")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        JournalTuning.UseWal(path);
        return Sql("SQLite.MS", $"Data Source={path};Pooling=True", "sqlite", "", logLevel, postgres: false);
    }

    /// <summary>
    /// A SQLite actor system exactly as the node connects it (<see cref="JournalTuning.SqliteDataOptions"/>, synchronous=FULL):
    /// what the benchmarks measure.
    /// </summary>
    public static ActorSystemSetup SqliteSetup(string path, string logLevel = "INFO") =>
        BootstrapSetup.Create().WithConfig(Sqlite(path, logLevel)).And(new DataOptionsSetup(JournalTuning.SqliteDataOptions(path, "FULL")));

    public static Config Postgres(string connectionString, string schema, string logLevel = "INFO") =>
        Sql("PostgreSQL.15", connectionString, "postgresql", $"postgresql.schema-name = \"{schema}\"", logLevel, postgres: true);

    private static Config Sql(string provider, string connectionString, string mapping, string schema, string logLevel, bool postgres) =>
        ConfigurationFactory.ParseString(SerializationConfig.Hocon() + $$"""
            akka.loglevel = {{logLevel}}
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  connection-string = "{{connectionString}}"
                  provider-name = "{{provider}}"
                  table-mapping = {{mapping}}
                  {{schema}}
                  auto-initialize = on
                  # As the node writes them (ExchangeHocon): a journal made here is one a node can read, and back.
                  tag-write-mode = Csv
                  {{JournalTuning.Hocon(postgres)}}
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  connection-string = "{{connectionString}}"
                  provider-name = "{{provider}}"
                  table-mapping = {{mapping}}
                  {{schema}}
                  auto-initialize = on
                  {{JournalTuning.ReadIsolation(postgres)}}
                }
              }
              query.journal.sql {
                {{JournalTuning.ReadIsolation(postgres)}}
                connection-string = "{{connectionString}}"
                provider-name = "{{provider}}"
                table-mapping = {{mapping}}
                {{schema}}
                tag-read-mode = Csv
                refresh-interval = 100ms
              }
            }
            """).WithFallback(SqlPersistence.DefaultConfiguration);
}
