namespace AkkaExchange.Backup;

/// <summary>
/// What a backup holds: when it was taken (Unix ms), of what (<c>sqlite</c>: the embedded node's journal and ledger;
/// <c>postgres</c>: a base backup of the cluster's database, <see cref="Postgres"/> telling where it stands in the WAL),
/// its files, and the journal's last sequence number per persistence id — for <c>sqlite</c> the point the restored
/// exchange stands at, for <c>postgres</c> where the journal stood when the base backup began (it holds at least that).
/// </summary>
public sealed record BackupManifest(string Id, long CreatedAt, string Kind, string Node, IReadOnlyList<BackupFile> Files,
    IReadOnlyDictionary<string, long> JournalSequences, PostgresBackupInfo? Postgres = null);
