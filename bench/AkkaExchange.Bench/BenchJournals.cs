using Akka.Actor;
using Akka.Actor.Setup;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Bench;

/// <summary>
/// The journals a benchmark can run on, as Akka.Persistence.Sql configurations: a fresh SQLite file, or PostgreSQL —
/// the server in AKKAEX_BENCH_PG, else a throwaway local cluster with fsync on — in a schema of its own.
/// </summary>
internal static class BenchJournals
{
    public static async Task<(ActorSystemSetup Akka, string? PostgresConnection, string? Schema)> CreateAsync(string name, string directory)
    {
        switch (name)
        {
            case "sqlite":
                return (AkkaConfigs.SqliteSetup(Path.Combine(directory, "journal.db"), "WARNING"), null, null);
            case "postgres":
                var connection = await PostgresAsync(directory);
                var schema = "bench_" + Guid.NewGuid().ToString("N")[..10];
                // The plugin creates its tables, not their schema.
                await using (var source = Npgsql.NpgsqlDataSource.Create(connection))
                await using (var create = source.CreateCommand($"CREATE SCHEMA {schema}"))
                    await create.ExecuteNonQueryAsync();
                return (ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(AkkaConfigs.Postgres(connection, schema, "WARNING"))), connection, schema);
            case "memory":
                // Akka's in-memory journal: the order path without any database, to tell the engine's cost from the journal's.
                return (ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(Akka.Configuration.ConfigurationFactory.ParseString("""
                    akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                    akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
                    """).WithFallback(AkkaConfigs.Sqlite(Path.Combine(directory, "journal.db"), "WARNING")))), null, null);
            default:
                throw new ArgumentException("--journal must be sqlite, postgres or memory");
        }
    }

    /// <summary>The server in AKKAEX_BENCH_PG, else a throwaway local cluster (fsync on) stopped when the process exits.</summary>
    public static async Task<string> PostgresAsync(string directory) =>
        Environment.GetEnvironmentVariable("AKKAEX_BENCH_PG") is { Length: > 0 } cs ? cs : await StartPostgresAsync(directory);

    private static async Task<string> StartPostgresAsync(string directory)
    {
        var port = FreePort.Next();
        var psi = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true };
        var dir = Path.Combine(directory, "pg");
        foreach (var a in new[] { Path.Combine(RepositoryPaths.Root, "scripts", "test-postgres.sh"), "start", dir, port.ToString(), "on" })
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException("could not start PostgreSQL for the benchmark");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var stop = System.Diagnostics.Process.Start("bash", [Path.Combine(RepositoryPaths.Root, "scripts", "test-postgres.sh"), "stop", dir]);
            stop.WaitForExit();
        };
        return output.Trim().Split('\n')[^1];
    }
}
