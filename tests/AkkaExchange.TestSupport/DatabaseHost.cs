using Npgsql;

namespace AkkaExchange.TestSupport;

/// <summary>
/// A database host of the backup drill and the restore benchmark: its own PostgreSQL server (scripts/test-postgres.sh, so the server runs as the
/// <c>postgres</c> user when the tests run as root) with the AkkaExchange CLI installed beside it for
/// <c>archive_command</c> and <c>restore_command</c>, as an operator installs it on the database's host.
/// </summary>
public sealed class DatabaseHost(string directory, string cliDll) : IAsyncDisposable
{
    private readonly int _port = FreePort.Next();
    private bool _running;

    /// <summary>The connection string for nodes (pooled, as a node is configured).</summary>
    public string Connection => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";

    // This helper's own queries: unpooled, since it restarts the server under them.
    private string Unpooled => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>The server's data directory (what a restore writes).</summary>
    public string DataDirectory => Path.Combine(directory, "pg");

    /// <summary>Makes a directory, a file or a tree the database user's (nothing to do unless the tests run as root).</summary>
    public static async Task GiveToDatabaseUserAsync(string path)
    {
        if (Environment.UserName != "root") return;
        var (code, _, error) = await ChildProcess.RunAsync("chown", ["-R", "postgres", path]);
        if (code != 0) throw new InvalidOperationException($"chown -R postgres {path}: {error}");
    }

    /// <summary>Starts the server (a new cluster, or the data directory a restore wrote); with <paramref name="archiveTo"/>, it archives its WAL into each through the CLI.</summary>
    public async Task StartAsync(string[]? archiveTo = null, string? keyFile = null)
    {
        Directory.CreateDirectory(directory);
        await GiveToDatabaseUserAsync(directory);
        await ScriptAsync("start", directory, _port.ToString());
        _running = true;
        if (archiveTo is null) return;
        // archive_mode takes a restart.
        await SqlAsync("ALTER SYSTEM SET archive_mode = 'on'");
        await SqlAsync($"ALTER SYSTEM SET archive_command = '\"{Dotnet}\" \"{cliDll}\" backup wal-push %p %f {string.Join(' ', archiveTo.Select(a => $"--to \"{a}\""))} --key-file \"{keyFile}\"'");
        await ScriptAsync("stop", directory, "--keep");
        await ScriptAsync("start", directory, _port.ToString());
        if (await ScalarAsync<string>("SHOW archive_mode") != "on") throw new InvalidOperationException("archive_mode did not take effect");
    }

    /// <summary>Waits until a restoring server has replayed what it was told to and takes writes.</summary>
    public async Task WaitPromotedAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await ScalarAsync<bool>("SELECT pg_is_in_recovery()"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the restored server is still recovering: {Tail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Closes the current WAL segment and waits until the archive has it: everything committed so far is archived.</summary>
    public async Task ArchiveNowAsync()
    {
        var segment = await ScalarAsync<string>("SELECT pg_walfile_name(pg_switch_wal())");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (string.CompareOrdinal(await ScalarAsync<string?>("SELECT last_archived_wal FROM pg_stat_archiver") ?? "", segment) < 0)
        {
            if (await ScalarAsync<long>("SELECT failed_count FROM pg_stat_archiver") != 0) throw new InvalidOperationException($"archiving failed: {Tail()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{segment} was never archived: {Tail()}");
            await Task.Delay(200);
        }
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var c = new NpgsqlConnection(Unpooled);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    public async Task StopAsync()
    {
        if (!_running) return;
        _running = false;
        await ScriptAsync("stop", directory, "--keep");
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// Copies the built CLI (<paramref name="builtDll"/> and everything beside it) into <paramref name="directory"/>,
    /// where the database's OS user can run it (the checkout may be in a home it cannot read); returns the copy's dll.
    /// </summary>
    public static string InstallCli(string builtDll, string directory)
    {
        var built = Path.GetDirectoryName(builtDll)!;
        foreach (var file in Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(directory, Path.GetRelativePath(built, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return Path.Combine(directory, Path.GetFileName(builtDll));
    }

    /// <summary>The dotnet host the server runs the CLI with (symbolic links resolved: the server's PATH may differ).</summary>
    public static string Dotnet { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => new FileInfo(Path.Combine(d, "dotnet"))).Where(f => f.Exists).Select(f => f.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? f.FullName)
        .FirstOrDefault() ?? "dotnet";

    private Task SqlAsync(string sql) => ScalarAsync<object?>(sql);

    private string Tail() => File.Exists(Path.Combine(directory, "pg.log")) ? string.Join('\n', File.ReadLines(Path.Combine(directory, "pg.log")).TakeLast(15)) : "";

    private static async Task ScriptAsync(params string[] args)
    {
        var (code, _, error) = await RepoScript.RunAsync("test-postgres.sh", args);
        if (code != 0) throw new InvalidOperationException($"test-postgres.sh {string.Join(' ', args)} exited {code}: {error}");
    }
}
