using System.CommandLine;
using System.Text.Json;
using AkkaExchange.Backup;
using Spectre.Console;

namespace AkkaExchange.Cli;

/// <summary>
/// <c>backup create|list|verify</c> through a node's admin API, and <c>restore</c>, which runs here: it decrypts a
/// backup from a directory (the node's, or the copy in the other location) into a new data directory for a node.
/// </summary>
public static class BackupCommands
{
    public static IEnumerable<Command> Build(CliContext cli)
    {
        var backup = new Command("backup", "the node's encrypted backups: take one, list them, verify one");
        var create = new Command("create", "takes a backup now and prints its manifest");
        create.SetAction(cli.Run(async (client, output, _, ct) => Show(output, [await client.PostAsync("/admin/v1/backups", null, ct)])));
        var list = new Command("list", "the backups, newest first");
        list.SetAction(cli.Run(async (client, output, _, ct) =>
        {
            var answer = await client.GetAsync("/admin/v1/backups", ct);
            // Cluster mode: the WAL archived beside the base backups bounds how far forward a restore can go.
            var caption = answer.TryGetProperty("wal", out var wal) && wal.ValueKind == JsonValueKind.Object
                ? $"WAL archive: {wal.GetProperty("files")} files, the newest {wal.GetProperty("newest").GetString()}"
                : null;
            Show(output, [.. answer.GetProperty("backups").EnumerateArray()], caption);
        }));
        var idArgument = new Argument<string>("id") { Description = "the backup's id (backup list)" };
        var verify = new Command("verify", "decrypts every file of a backup and checks it against its manifest") { idArgument };
        verify.SetAction(cli.Run(async (client, output, parse, ct) =>
            Show(output, [await client.PostAsync($"/admin/v1/backups/{Uri.EscapeDataString(parse.GetValue(idArgument)!)}/verify", null, ct)])));
        backup.Subcommands.Add(create);
        backup.Subcommands.Add(list);
        backup.Subcommands.Add(verify);
        foreach (var command in WalCommands(cli)) backup.Subcommands.Add(command);
        yield return backup;

        var from = new Option<string>("--from") { Description = "the backup directory (the node's --backup-dir, or its copy), or s3://bucket/prefix", Required = true };
        var id = new Option<string>("--id") { Description = "the backup's id, or 'latest' (with --point-in-time: the newest that completed before it)", DefaultValueFactory = _ => "latest" };
        var to = new Option<string>("--to") { Description = "a new data directory: a node's --data-dir (embedded backups) or a PostgreSQL data directory (cluster backups)", Required = true };
        var keyFile = new Option<string>("--key-file") { Description = "the backup key file (the node's --backup-key-file)", Required = true };
        var pointInTime = new Option<string?>("--point-in-time") { Description = "PostgreSQL backups: replay the archived WAL up to this moment (ISO 8601, e.g. 2026-12-02T15:30:00Z; UTC when no offset is given) instead of to its end" };
        var restoreCommand = new Option<string?>("--restore-command") { Description = "PostgreSQL backups: the command the restored server fetches archived WAL with (%f, %p); default: this CLI's backup wal-fetch" };
        var restore = new Command("restore", "decrypts a backup into a new data directory, checking every byte; runs here, needs no node") { from, id, to, keyFile, pointInTime, restoreCommand };
        restore.SetAction(cli.Run(async (_, output, parse, ct) =>
        {
            try
            {
                var key = parse.GetValue(keyFile)!;
                var backupKey = BackupKey.Load(key);
                var location = parse.GetValue(from)!;
                var target = Path.GetFullPath(parse.GetValue(to)!);
                DateTimeOffset? at = parse.GetValue(pointInTime) is { } text ? ParseMoment(text) : null;
                // A bucket is read through a local copy of what the restore needs (its manifests, then the chosen
                // backup's files), checked there like a directory, and deleted afterwards.
                using var bucket = BackupBucket.IsS3(location) ? new BackupBucket(location, backupKey) : null;
                var scratch = bucket is null ? null : Path.Combine(Path.GetTempPath(), $"akkaex-restore-{Guid.NewGuid():N}");
                try
                {
                    var repository = bucket is null ? new BackupRepository(location, backupKey) : await bucket.DownloadAsync(scratch!, ct);
                    var manifest = Choose(repository, parse.GetValue(id)!, at);
                    if (bucket is not null) await bucket.DownloadFilesAsync(scratch!, manifest.Id, ct);
                    string done;
                    if (manifest.Kind == "postgres")
                    {
                        var command = parse.GetValue(restoreCommand) ?? WalFetchCommand(bucket?.Uri ?? repository.Root, Path.GetFullPath(key));
                        await PostgresRestore.RestoreAsync(repository, manifest, target, at, command, ct);
                        done = $"restored base backup {manifest.Id} into {target}; a PostgreSQL server started on it replays the archived WAL "
                            + (at is { } t ? $"to {PostgresRestore.Format(t)}" : "to its end") + " and then takes writes (owner: the server's OS user; chown -R it when restoring as another)";
                    }
                    else
                    {
                        if (at is not null) throw new CliException(1, $"backup {manifest.Id} is an embedded ({manifest.Kind}) backup, a copy of one moment: --point-in-time needs a PostgreSQL backup and its WAL archive");
                        await repository.RestoreAsync(manifest.Id, target, ct);
                        done = $"restored backup {manifest.Id} into {target}: start a node with --data-dir on it";
                    }
                    output.Show(manifest, () =>
                    {
                        var table = Output.Table("file", "bytes", "sha256");
                        foreach (var f in manifest.Files) table.AddRow(f.Name, f.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Sha256);
                        return table;
                    }, done);
                }
                finally
                {
                    if (scratch is not null && Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
                }
            }
            catch (Exception e) when (Failed(e))
            {
                throw new CliException(1, e.Message);
            }
        }));
        yield return restore;
    }

    /// <summary>
    /// <c>wal-push</c> and <c>wal-fetch</c>: what PostgreSQL's <c>archive_command</c> and <c>restore_command</c> run on
    /// the database's host (docs/runbooks/backup-restore.md). Exit codes are PostgreSQL's: 0 done; 1 not done (not
    /// archived yet, or, for a fetch, not in the archive — the server goes on); 126 for a fetched file that fails
    /// authentication or cannot be written, which makes a restoring server stop instead of ending its recovery early
    /// at the damaged file (PostgreSQL takes an exit above 125 as the shell's error).
    /// </summary>
    private static IEnumerable<Command> WalCommands(CliContext cli)
    {
        var keyFile = new Option<string>("--key-file") { Description = "the backup key file (the node's --backup-key-file)", Required = true };
        var repositoryOption = new Option<string[]>("--to")
        {
            Description = "a backup directory the WAL is archived into (the node's --backup-dir), or s3://bucket/prefix; repeat it for the second location: done only when every one has it",
            Required = true,
        };
        var path = new Argument<string>("path") { Description = "the file PostgreSQL hands over (%p)" };
        var name = new Argument<string>("name") { Description = "its name (%f)" };
        var push = new Command("wal-push", "archives one WAL file, encrypted (archive_command = 'akkaex backup wal-push %p %f --to <dir> [--to <copy>] --key-file <key>')") { path, name, repositoryOption, keyFile };
        push.SetAction(cli.Run(async (_, _, parse, ct) =>
        {
            try
            {
                var key = BackupKey.Load(parse.GetValue(keyFile)!);
                // Each location in turn; one that fails fails the command and the server tries again later (a
                // location that has the file already takes it again as a success).
                foreach (var location in parse.GetValue(repositoryOption)!)
                {
                    if (!BackupBucket.IsS3(location))
                    {
                        await new WalArchive(location, key).PushAsync(parse.GetValue(path)!, parse.GetValue(name)!, ct);
                        continue;
                    }
                    using var bucket = new BackupBucket(location, key);
                    await bucket.PushWalAsync(parse.GetValue(path)!, parse.GetValue(name)!, ct);
                }
            }
            catch (Exception e) when (Failed(e))
            {
                throw new CliException(1, e.Message);
            }
        }));
        yield return push;

        var fetchName = new Argument<string>("name") { Description = "the file the server asks for (%f)" };
        var fetchPath = new Argument<string>("path") { Description = "where it wants it (%p)" };
        var fromOption = new Option<string>("--from") { Description = "the backup directory holding the WAL archive, or s3://bucket/prefix", Required = true };
        var fetch = new Command("wal-fetch", "fetches one archived WAL file for a restoring server (restore_command)") { fetchName, fetchPath, fromOption, keyFile };
        fetch.SetAction(cli.Run(async (_, _, parse, ct) =>
        {
            bool found;
            try
            {
                var key = BackupKey.Load(parse.GetValue(keyFile)!);
                var location = parse.GetValue(fromOption)!;
                if (BackupBucket.IsS3(location))
                {
                    using var bucket = new BackupBucket(location, key);
                    found = await bucket.FetchWalAsync(parse.GetValue(fetchName)!, parse.GetValue(fetchPath)!, ct);
                }
                else
                {
                    found = await new WalArchive(location, key).FetchAsync(parse.GetValue(fetchName)!, parse.GetValue(fetchPath)!, ct);
                }
            }
            // An unreachable bucket too: a recovery that cannot read the archive stops rather than ends early.
            catch (Exception e) when (Failed(e))
            {
                throw new CliException(126, e.Message);
            }
            // Not archived: the normal end of recovery (the server asks for the next file until one is missing).
            if (!found) throw new CliException(1, $"{parse.GetValue(fetchName)} is not archived");
        }));
        yield return fetch;
    }

    /// <summary>A failure of the backup's files, the disk or the bucket: said in one line, not a stack trace.</summary>
    private static bool Failed(Exception e) => e is BackupException or IOException or UnauthorizedAccessException or HttpRequestException
        or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException;

    /// <summary>The backup to restore: the one named, or the newest (with a point in time: the newest complete before it).</summary>
    private static BackupManifest Choose(BackupRepository repository, string id, DateTimeOffset? at)
    {
        if (id != "latest") return repository.Read(id);
        var manifests = repository.List().Select(l => l.Manifest).OfType<BackupManifest>().ToArray();
        if (manifests.Length == 0) throw new CliException(1, $"no backup in {repository.Root}");
        if (at is not { } moment) return manifests[0];
        return manifests.FirstOrDefault(m => m.Postgres is { } p && p.CompletedAt <= moment.ToUnixTimeMilliseconds())
            ?? throw new CliException(1, $"no PostgreSQL backup in {repository.Root} completed before {PostgresRestore.Format(moment)}");
    }

    private static DateTimeOffset ParseMoment(string text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new CliException(2, $"--point-in-time '{text}' is not a moment (ISO 8601, e.g. 2026-12-02T15:30:00Z)");

    /// <summary>This CLI, as it was started, running <c>backup wal-fetch</c> from the backup directory with the key.</summary>
    private static string WalFetchCommand(string repository, string keyFile)
    {
        var process = Environment.ProcessPath ?? "akkaex";
        var self = Path.GetFileNameWithoutExtension(process) == "dotnet" ? $"\"{process}\" \"{typeof(BackupCommands).Assembly.Location}\"" : $"\"{process}\"";
        return $"{self} backup wal-fetch %f \"%p\" --from \"{repository}\" --key-file \"{keyFile}\"";
    }

    private static void Show(Output output, JsonElement[] backups, string? caption = null) => output.Show(backups.Length == 1 ? backups[0] : backups, () =>
    {
        var table = Output.Table("id", "kind", "node", "bytes", "symbols", "problem");
        foreach (var b in backups)
        {
            var bytes = b.TryGetProperty("files", out var files) ? files.EnumerateArray().Sum(f => f.GetProperty("bytes").GetInt64()).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            var symbols = b.TryGetProperty("journalSequences", out var seqs) ? seqs.EnumerateObject().Count().ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            table.AddRow(Output.Cell(b, "id"), Output.Cell(b, "kind"), Output.Cell(b, "node"), bytes, symbols, Output.Cell(b, "problem"));
        }
        return table;
    }, caption);
}
