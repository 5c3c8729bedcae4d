using Npgsql;

namespace AkkaExchange.TestSupport;

/// <summary>
/// The real PostgreSQL the tests use: the server named by AKKAEX_TEST_PG, or else a throwaway cluster started
/// once per test process by scripts/test-postgres.sh (which installs PostgreSQL from Debian packages when it is
/// missing) and stopped when the process exits. When neither works, tests that need it fail and say why —
/// they never pass without a database.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    private static readonly Lazy<Task<string>> Given = new(CheckGivenAsync);

    public static Task<string> ConnectionStringAsync() =>
        Environment.GetEnvironmentVariable("AKKAEX_TEST_PG") is { Length: > 0 } ? Given.Value : Server.Value;

    // A server named in AKKAEX_TEST_PG that does not answer fails every test the same way: say so once, with the way out.
    private static async Task<string> CheckGivenAsync()
    {
        var cs = Environment.GetEnvironmentVariable("AKKAEX_TEST_PG")!;
        try
        {
            await using var c = new NpgsqlConnection(cs);
            await c.OpenAsync();
            return cs;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"AKKAEX_TEST_PG names a PostgreSQL that does not answer ({e.Message}); start it, or unset AKKAEX_TEST_PG and the tests start a throwaway one (scripts/test-postgres.sh)", e);
        }
    }

    /// <summary>A fresh, empty schema name, so that tests never see each other's rows.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..16];

    public static async Task<int> ScalarAsync(string schema, string sql)
    {
        await using var source = NpgsqlDataSource.Create(await ConnectionStringAsync());
        await using var cmd = source.CreateCommand($"SET search_path TO {schema}; {sql}");
        return Convert.ToInt32(await cmd.ExecuteScalarAsync());
    }

    private static async Task<string> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkaex-pg", Guid.NewGuid().ToString("N")[..12]);
        var port = FreePort.Next();
        var (code, stdout, stderr) = await RunScriptAsync("start", dir, port.ToString(), "off");
        if (code != 0)
            throw new InvalidOperationException($"PostgreSQL is unavailable for the tests (scripts/test-postgres.sh exited {code}): {stderr.Trim()}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunScriptAsync("stop", dir).GetAwaiter().GetResult();
        return stdout.Trim().Split('\n')[^1];
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunScriptAsync(params string[] args) => RepoScript.RunAsync("test-postgres.sh", args);
}
