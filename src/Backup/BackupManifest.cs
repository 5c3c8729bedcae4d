namespace AkkaExchange.Backup;

/// <summary>
/// What a backup holds: when it was taken (Unix ms), of what (<c>sqlite</c>: the embedded node's journal and ledger),
/// its files, and the journal's last sequence number per persistence id — the point the restored exchange stands at.
/// </summary>
public sealed record BackupManifest(string Id, long CreatedAt, string Kind, string Node, IReadOnlyList<BackupFile> Files,
    IReadOnlyDictionary<string, long> JournalSequences);
