namespace AkkaExchange.Backup;

/// <summary>One backup in a repository: its manifest, or, when it cannot be trusted or is unfinished, the problem.</summary>
public sealed record BackupListing(string Id, BackupManifest? Manifest, string? Problem);
