namespace AkkaExchange.Actors.Persistence;

/// <summary>Where and how the embedded journal stores its file.</summary>
/// <param name="Path">The database file; its directory is created when missing.</param>
/// <param name="Synchronous">SQLite's synchronous pragma: FULL (default) survives power loss; NORMAL survives process crashes only.</param>
public sealed record SqliteJournalOptions(string Path, string Synchronous = "FULL");
