using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AkkaExchange.Backup;
using Npgsql;

namespace AkkaExchange.Node.Backup;

/// <summary>
/// A base backup of the cluster's PostgreSQL database by <c>pg_basebackup</c> over a replication connection (tar
/// format, the WAL it needs streamed alongside, a fast checkpoint, a SHA-256 manifest), and where it stands in the
/// WAL read from its <c>backup_label</c> and <c>backup_manifest</c>. The connection's secrets go to the tool through
/// its environment, never its command line. The database user needs the REPLICATION attribute.
/// </summary>
public sealed class PostgresBaseBackup(string connectionString, string? binDirectory)
{
    /// <summary>Takes the base backup into <paramref name="staging"/> (empty or missing): the files of <see cref="PostgresRestore.Files"/>.</summary>
    public async Task<PostgresBackupInfo> TakeAsync(string staging, string label, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Tool("pg_basebackup"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--pgdata", staging, "--format=tar", "--wal-method=stream", "--checkpoint=fast", "--no-password",
                     "--manifest-checksums=SHA256", "--label", label })
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in Environment(connectionString)) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new BackupException("pg_basebackup did not start");
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        try
        {
            await process.WaitForExitAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await stdout;
        if (process.ExitCode != 0)
            throw new BackupException($"pg_basebackup exited {process.ExitCode}: {string.Join(' ', (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3))}");
        var completedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var (backupLabel, version) = await ReadLabelAsync(Path.Combine(staging, "base.tar"), cancellation);
        var endLsn = EndLsn(await File.ReadAllBytesAsync(Path.Combine(staging, "backup_manifest"), cancellation));
        return new PostgresBackupInfo(int.Parse(Field(backupLabel, "START TIMELINE"), CultureInfo.InvariantCulture), StartLsn(backupLabel), endLsn, StartWalFile(backupLabel),
            completedAt, version);
    }

    /// <summary>libpq's environment for the Npgsql connection string: host, port, user, password, TLS.</summary>
    public static IEnumerable<(string Name, string Value)> Environment(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (b.Host is { Length: > 0 } host) yield return ("PGHOST", host);
        yield return ("PGPORT", b.Port.ToString(CultureInfo.InvariantCulture));
        if (b.Username is { Length: > 0 } user) yield return ("PGUSER", user);
        if (b.Password is { Length: > 0 } password) yield return ("PGPASSWORD", password);
        if (b.RootCertificate is { Length: > 0 } root) yield return ("PGSSLROOTCERT", root);
        yield return ("PGSSLMODE", b.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        });
        yield return ("PGAPPNAME", "akkaex-backup");
    }

    /// <summary>A PostgreSQL client tool: from the configured directory, else the PATH, else the newest Debian install.</summary>
    private string Tool(string name)
    {
        if (binDirectory is { Length: > 0 }) return Path.Combine(binDirectory, name);
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", name)).FirstOrDefault(File.Exists)
            : null;
        return debian ?? throw new BackupException($"{name} was not found (install postgresql-client, or set --postgres-bin-dir)");
    }

    /// <summary>The backup's <c>backup_label</c> and <c>PG_VERSION</c>, read from the tar without unpacking it.</summary>
    private static async Task<(string Label, string Version)> ReadLabelAsync(string baseTar, CancellationToken cancellation)
    {
        string? label = null, version = null;
        await using var stream = File.OpenRead(baseTar);
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: false, cancellation) is { } entry && (label is null || version is null))
        {
            if (entry.Name is not ("backup_label" or "PG_VERSION") || entry.DataStream is null) continue;
            using var text = new StreamReader(entry.DataStream, Encoding.UTF8);
            var content = await text.ReadToEndAsync(cancellation);
            if (entry.Name == "backup_label") label = content;
            else version = content.Trim();
        }
        return (label ?? throw new BackupException("the base backup has no backup_label"), version ?? "");
    }

    // START WAL LOCATION: 0/2000028 (file 000000010000000000000002)
    private static string StartLsn(string label) => Field(label, "START WAL LOCATION").Split(' ')[0];

    private static string StartWalFile(string label) => Field(label, "START WAL LOCATION").Split("(file ")[1].TrimEnd(')');

    private static string Field(string label, string name) =>
        label.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))?[(name.Length + 2)..]
        ?? throw new BackupException($"the base backup's backup_label has no {name}");

    // {"WAL-Ranges": [{"Timeline": 1, "Start-LSN": "0/2000028", "End-LSN": "0/2000100"}], ...}
    private static string EndLsn(byte[] manifest)
    {
        using var doc = JsonDocument.Parse(manifest);
        return doc.RootElement.GetProperty("WAL-Ranges").EnumerateArray().Last().GetProperty("End-LSN").GetString()
            ?? throw new BackupException("the base backup's manifest has no End-LSN");
    }
}
