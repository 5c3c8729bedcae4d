namespace AkkaExchange.Backup;

/// <summary>One file of a backup: its name in the data directory, its plaintext size and SHA-256 (hex).</summary>
public sealed record BackupFile(string Name, long Bytes, string Sha256);
