using System.Formats.Tar;
using System.Globalization;

namespace AkkaExchange.Backup;

/// <summary>
/// Turns a PostgreSQL base backup into a new data directory that recovers by itself when a server starts on it: the
/// backup's files checked byte for byte and unpacked, <c>recovery.signal</c> written, and the server told where the
/// archived WAL is (<c>restore_command</c>), how far to replay it (<c>recovery_target_time</c>, or to the end of the
/// archive) and to promote itself there. The restored server does not archive (it would write into the original's
/// archive); turn archiving on again once it is the exchange's database.
/// </summary>
public static class PostgresRestore
{
    /// <summary>The files a base backup is made of (<c>pg_basebackup --format=tar --wal-method=stream</c>).</summary>
    public static readonly string[] Files = ["base.tar", "pg_wal.tar", "backup_manifest"];

    /// <summary>
    /// Restores <paramref name="manifest"/>'s backup into <paramref name="dataDirectory"/> (missing or empty; anything
    /// else is refused). <paramref name="restoreCommand"/> is the server's command to fetch one archived file, with
    /// PostgreSQL's <c>%f</c> and <c>%p</c>. A point in time before the backup completed is refused: an older backup
    /// serves it.
    /// </summary>
    public static async Task RestoreAsync(BackupRepository repository, BackupManifest manifest, string dataDirectory, DateTimeOffset? pointInTime,
        string restoreCommand, CancellationToken cancellation)
    {
        if (manifest.Postgres is not { } postgres) throw new BackupException($"backup {manifest.Id} is not a PostgreSQL base backup (kind {manifest.Kind})");
        var extra = manifest.Files.Select(f => f.Name).Except(Files).ToArray();
        if (extra.Length > 0) throw new BackupException($"backup {manifest.Id} holds {string.Join(", ", extra)}: tablespaces outside the data directory are not restored by this tool");
        if (pointInTime is { } wanted && wanted.ToUnixTimeMilliseconds() < postgres.CompletedAt)
            throw new BackupException($"backup {manifest.Id} completed at {Format(DateTimeOffset.FromUnixTimeMilliseconds(postgres.CompletedAt))}, after {Format(wanted)}: restore an older backup");
        var target = Path.GetFullPath(dataDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new BackupException($"{target} is not empty: restore into a new data directory");
        var staging = target + ".restoring";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            // Every byte authenticates before anything lands in the data directory.
            await repository.RestoreAsync(manifest.Id, staging, cancellation);
            // PostgreSQL refuses a data directory others can read.
            Directory.CreateDirectory(target);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await TarFile.ExtractToDirectoryAsync(Path.Combine(staging, "base.tar"), target, overwriteFiles: false, cancellation);
            var wal = Directory.CreateDirectory(Path.Combine(target, "pg_wal")).FullName;
            await TarFile.ExtractToDirectoryAsync(Path.Combine(staging, "pg_wal.tar"), wal, overwriteFiles: false, cancellation);
            await File.WriteAllTextAsync(Path.Combine(target, "recovery.signal"), "", cancellation);
            await File.AppendAllTextAsync(Path.Combine(target, "postgresql.auto.conf"), RecoverySettings(manifest, pointInTime, restoreCommand), cancellation);
        }
        catch
        {
            // Half a data directory must never be started: take back what this restore wrote.
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            throw;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The lines appended to the restored server's <c>postgresql.auto.conf</c> (they win over earlier ones).</summary>
    public static string RecoverySettings(BackupManifest manifest, DateTimeOffset? pointInTime, string restoreCommand)
    {
        var lines = new List<string>
        {
            "",
            $"# restored by akkaex from backup {manifest.Id}" + (pointInTime is { } t ? $" to {Format(t)}" : " to the end of the WAL archive"),
            $"restore_command = {Quote(restoreCommand)}",
            "archive_mode = 'off'",
        };
        if (pointInTime is { } at)
        {
            lines.Add($"recovery_target_time = {Quote(Format(at))}");
            lines.Add("recovery_target_action = 'promote'");
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>A moment as PostgreSQL reads a timestamp with time zone, to the microsecond, in UTC.</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture);

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
