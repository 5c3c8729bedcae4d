using Akka.Actor;
using Akka.Cluster;
using AkkaExchange.Backup;
using AkkaExchange.Node.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AkkaExchange.Node.Backup;

/// <summary>
/// Backups while the exchange runs. Embedded: SQLite's online backup API copies the journal and the ledger as of one
/// moment each (writers carry on). Cluster: a PostgreSQL base backup (<see cref="PostgresBaseBackup"/>), which with
/// the WAL the database archives beside it (<see cref="WalArchive"/>) restores to any moment after it. Either is
/// encrypted into the backup directory with a manifest naming each symbol's journal sequence, copied (with the WAL
/// archive) to the second location, and retention prunes both — the WAL no kept base backup needs included. One
/// backup at a time; taken on request (<c>POST /admin/v1/backups</c>) and every <c>BackupInterval</c> when one is set,
/// in a cluster by its oldest member only.
/// </summary>
public sealed class BackupService(NodeSettings settings, IServiceProvider services, ILogger<BackupService> log) : BackgroundService
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly Lazy<BackupKey?> _key = new(() => settings.Options.BackupKeyFile is { Length: > 0 } f ? BackupKey.Load(f) : null);

    /// <summary>Whether this node takes backups (a backup directory is configured).</summary>
    public bool Enabled => settings.Options.BackupDirectory is { Length: > 0 };

    /// <summary>The backup directory.</summary>
    public BackupRepository Repository => new(settings.Options.BackupDirectory!, _key.Value!);

    public async Task<BackupManifest> CreateAsync(CancellationToken cancellation)
    {
        await _one.WaitAsync(cancellation);
        try
        {
            var at = DateTimeOffset.UtcNow;
            var id = BackupRepository.NewId(at);
            var staging = Path.Combine(settings.DataDirectory, "backup-staging");
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            Directory.CreateDirectory(staging);
            BackupManifest manifest;
            try
            {
                manifest = settings.Options.Journal == "postgres"
                    ? await PostgresAsync(id, at, staging, cancellation)
                    : await SqliteAsync(id, at, staging, cancellation);
            }
            finally
            {
                Directory.Delete(staging, recursive: true);
            }
            Prune(Repository);
            if (settings.Options.BackupCopyDirectory is { Length: > 0 } copy)
                await CopyAsync(id, copy, cancellation);
            log.LogInformation("backup {Id}: {Bytes} bytes in {Files} files", id, manifest.Files.Sum(f => f.Bytes), manifest.Files.Count);
            return manifest;
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// The backups and the archived WAL the second location lacks (this one, and any an earlier failed copy left
    /// out) copied there; then retention there.
    /// </summary>
    private async Task CopyAsync(string id, string copy, CancellationToken cancellation)
    {
        if (BackupBucket.IsS3(copy))
        {
            try
            {
                using var bucket = new BackupBucket(copy, _key.Value!);
                var there = (await bucket.FinishedIdsAsync(cancellation)).ToHashSet(StringComparer.Ordinal);
                foreach (var missing in Finished(Repository).Where(m => !there.Contains(m)))
                    await bucket.UploadBackupAsync(Repository, missing, cancellation);
                await bucket.UploadWalAsync(Repository.Wal, cancellation);
                var (backups, wal) = await bucket.PruneAsync(Policy, cancellation);
                if (backups + wal > 0) log.LogInformation("{Backups} expired backups and {Wal} archived WAL files were deleted from {Bucket}", backups, wal, copy);
                return;
            }
            catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException or HttpRequestException)
            {
                // The backup itself is taken and kept here; the next one copies what the bucket lacks.
                throw new BackupException($"backup {id} was taken, but its copy to {copy} failed: {e.Message}");
            }
        }
        var other = new BackupRepository(copy, _key.Value!);
        var copied = Finished(other).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in Finished(Repository).Where(m => !copied.Contains(m)))
        {
            // A copy cut short earlier (no manifest) is replaced.
            if (Directory.Exists(Path.Combine(other.Root, missing))) other.Delete(missing);
            Repository.CopyTo(missing, copy);
        }
        Repository.Wal.CopyTo(other.Wal);
        Prune(other);
    }

    /// <summary>The ids of a location's finished backups (with a manifest that authenticates).</summary>
    private static IEnumerable<string> Finished(BackupRepository repository) => repository.List().Where(l => l.Manifest is not null).Select(l => l.Id);

    private async Task<BackupManifest> SqliteAsync(string id, DateTimeOffset at, string staging, CancellationToken cancellation)
    {
        var journal = Path.Combine(staging, "journal.db");
        var ledger = Path.Combine(staging, "ledger.db");
        Copy(settings.JournalPath, journal);
        Copy(settings.LedgerPath, ledger);
        return await Repository.WriteAsync(id, at, "sqlite", settings.Options.NodeId, [("journal.db", journal), ("ledger.db", ledger)],
            Sequences(journal), cancellation);
    }

    private async Task<BackupManifest> PostgresAsync(string id, DateTimeOffset at, string staging, CancellationToken cancellation)
    {
        var o = settings.Options;
        // Read before the base backup starts: the backup holds at least these events.
        var sequences = await PostgresSequencesAsync(cancellation);
        var files = Path.Combine(staging, "pg");
        var info = await new PostgresBaseBackup(o.ConnectionString!, o.PostgresBinDirectory).TakeAsync(files, $"akkaex {id}", cancellation);
        return await Repository.WriteAsync(id, at, "postgres", o.NodeId, [.. PostgresRestore.Files.Select(f => (f, Path.Combine(files, f)))],
            sequences, cancellation, info);
    }

    private async Task<Dictionary<string, long>> PostgresSequencesAsync(CancellationToken cancellation)
    {
        var o = settings.Options;
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(o.ConnectionString) { SearchPath = o.PostgresSchema }.ConnectionString);
        await c.OpenAsync(cancellation);
        await using var cmd = new NpgsqlCommand($"SELECT persistence_id, MAX(sequence_nr) FROM {JournalTables.PostgresJournal} GROUP BY persistence_id ORDER BY persistence_id", c);
        await using var r = await cmd.ExecuteReaderAsync(cancellation);
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await r.ReadAsync(cancellation)) sequences[r.GetString(0)] = r.GetInt64(1);
        return sequences;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled || settings.Options.BackupInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(settings.Options.BackupInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!Scheduler()) continue;
            try
            {
                await CreateAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "scheduled backup failed");
            }
        }
    }

    /// <summary>SQLite's online backup: a consistent copy of the whole database while the node keeps writing.</summary>
    private static void Copy(string source, string target)
    {
        using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        from.Open();
        to.Open();
        from.BackupDatabase(to);
    }

    /// <summary>Each persistence id's last sequence number in the copied journal: where the restored symbols stand.</summary>
    private static Dictionary<string, long> Sequences(string journal)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = journal, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT persistence_id, MAX(sequence_nr) FROM event_journal GROUP BY persistence_id ORDER BY persistence_id";
        using var r = cmd.ExecuteReader();
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        while (r.Read()) sequences[r.GetString(0)] = r.GetInt64(1);
        return sequences;
    }

    /// <summary>
    /// Whether this node takes the scheduled backups: an embedded node does; in a cluster the oldest Up member does
    /// (one backup per interval for the whole cluster, from the node the singletons run on).
    /// </summary>
    private bool Scheduler()
    {
        if (!settings.Options.Cluster) return true;
        var cluster = Akka.Cluster.Cluster.Get(services.GetRequiredService<ActorSystem>());
        var oldest = cluster.State.Members.Where(m => m.Status == MemberStatus.Up).OrderBy(m => m, Member.AgeOrdering).FirstOrDefault();
        return oldest is not null && oldest.Address.Equals(cluster.SelfAddress);
    }

    private void Prune(BackupRepository repository)
    {
        var (expired, oldestNeeded) = Policy.Plan([.. repository.List().Select(l => l.Manifest).OfType<BackupManifest>()]);
        foreach (var id in expired)
        {
            repository.Delete(id);
            log.LogInformation("backup {Id} expired and was deleted from {Root}", id, repository.Root);
        }
        // The archived WAL older than the oldest kept base backup restores nothing any more.
        if (oldestNeeded is not null && repository.Wal.Prune(oldestNeeded) is var pruned and > 0)
            log.LogInformation("{Count} archived WAL files before {Segment} were deleted from {Root}", pruned, oldestNeeded, repository.Root);
    }

    private RetentionPolicy Policy => new(settings.Options.BackupKeepHourly, settings.Options.BackupKeepDaily);
}
