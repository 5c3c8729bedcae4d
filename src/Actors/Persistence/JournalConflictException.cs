namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// A write named a (persistence id, sequence number) that is already journaled: another writer got there first.
/// The writer must stop and recover; nothing of the refused batch was written.
/// </summary>
public sealed class JournalConflictException(string message, Exception? inner = null) : Exception(message, inner);
