using AkkaExchange.Backup;
using AkkaExchange.Node.Hosting;
using Microsoft.Data.Sqlite;

namespace AkkaExchange.Node.Backup;

/// <summary>
/// Backups of an embedded node while it runs: SQLite's online backup API copies the journal and the ledger as of one
/// moment each (writers carry on), the copies are encrypted into the backup directory with a manifest naming each
/// symbol's last journal sequence, copied to the second location, and retention prunes both. One backup at a time;
/// taken on request (<c>POST /admin/v1/backups</c>) and every <c>BackupInterval</c> when one is set.
/// </summary>
public sealed class BackupService(NodeSettings settings, ILogger<BackupService> log) : BackgroundService
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
                var journal = Path.Combine(staging, "journal.db");
                var ledger = Path.Combine(staging, "ledger.db");
                Copy(settings.JournalPath, journal);
                Copy(settings.LedgerPath, ledger);
                manifest = await Repository.WriteAsync(id, at, "sqlite", settings.Options.NodeId, [("journal.db", journal), ("ledger.db", ledger)],
                    Sequences(journal), cancellation);
            }
            finally
            {
                Directory.Delete(staging, recursive: true);
            }
            Prune(Repository);
            if (settings.Options.BackupCopyDirectory is { Length: > 0 } copy)
            {
                Repository.CopyTo(id, copy);
                Prune(new BackupRepository(copy, _key.Value!));
            }
            log.LogInformation("backup {Id}: {Bytes} bytes in {Files} files", id, manifest.Files.Sum(f => f.Bytes), manifest.Files.Count);
            return manifest;
        }
        finally
        {
            _one.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled || settings.Options.BackupInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(settings.Options.BackupInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
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

    private void Prune(BackupRepository repository)
    {
        var policy = new RetentionPolicy(settings.Options.BackupKeepHourly, settings.Options.BackupKeepDaily);
        var listed = repository.List().Where(l => l.Manifest is not null).Select(l => (l.Id, l.Manifest!.CreatedAt));
        foreach (var id in policy.Expired(listed))
        {
            repository.Delete(id);
            log.LogInformation("backup {Id} expired and was deleted from {Root}", id, repository.Root);
        }
    }
}
