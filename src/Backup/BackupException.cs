namespace AkkaExchange.Backup;

/// <summary>A backup that cannot be made, read or trusted; the message says why in one line.</summary>
public sealed class BackupException(string message) : Exception(message);
