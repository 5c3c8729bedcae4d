namespace AkkaExchange.Backup;

/// <summary>
/// Where a PostgreSQL base backup stands in the write-ahead log: the timeline, the LSN it started at and the one it is
/// consistent at, the first WAL segment a restore needs (older archived segments serve no backup after it), and when
/// it completed (Unix ms) — a point-in-time restore from it can go to any moment after that.
/// </summary>
public sealed record PostgresBackupInfo(int Timeline, string StartLsn, string EndLsn, string StartWalFile, long CompletedAt, string ServerVersion);
