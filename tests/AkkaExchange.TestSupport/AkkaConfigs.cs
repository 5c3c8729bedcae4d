using Akka.Configuration;
using Akka.Persistence.Sql;
using AkkaExchange.Actors.Serialization;

namespace AkkaExchange.TestSupport;

/// <summary>
/// Actor systems for specs and benchmarks: the exchange's serializers and Akka.Persistence.Sql on a real database — a SQLite file or
/// PostgreSQL. (serialize-messages stays off: Akka's own journal replies carry database exceptions it cannot serialize;
/// SerializerSpecs checks every message of ours, and every journal row is serialized for real.)
/// </summary>
public static class AkkaConfigs
{
    public static Config Sqlite(string path, string logLevel = "INFO") => Sql("SQLite.MS", $"Data Source={path};Pooling=True", "sqlite", "", logLevel);

    public static Config Postgres(string connectionString, string schema, string logLevel = "INFO") =>
        Sql("PostgreSQL.15", connectionString, "postgresql", $"postgresql.schema-name = \"{schema}\"", logLevel);

    private static Config Sql(string provider, string connectionString, string mapping, string schema, string logLevel) =>
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
                }
              }
              query.journal.sql {
                connection-string = "{{connectionString}}"
                provider-name = "{{provider}}"
                table-mapping = {{mapping}}
                {{schema}}
                refresh-interval = 100ms
              }
            }
            """).WithFallback(SqlPersistence.DefaultConfiguration);
}
