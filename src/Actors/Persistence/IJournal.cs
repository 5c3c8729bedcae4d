namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// Durable storage of events and snapshots. Every implementation passes the same journal test suite.
/// </summary>
public interface IJournal : IAsyncDisposable
{
    /// <summary>Short name for reports: "sqlite", "postgres".</summary>
    string Name { get; }

    /// <summary>Creates the tables when missing. Safe to call more than once and from several nodes.</summary>
    Task InitializeAsync(CancellationToken cancellation = default);

    /// <summary>
    /// Writes all entries in one transaction: all are durable when the task completes, or none is written.
    /// Throws <see cref="JournalConflictException"/> when any (persistence id, sequence number) exists.
    /// </summary>
    Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellation = default);

    /// <summary>
    /// As <see cref="AppendAsync(IReadOnlyList{JournalEntry}, CancellationToken)"/>, committed only if every fence
    /// still holds at commit (same owner, same epoch, lease not run out); otherwise nothing is written and
    /// <see cref="LeaseLostException"/> is thrown. Journals without shard ownership support no fences.
    /// </summary>
    Task AppendAsync(IReadOnlyList<JournalEntry> entries, IReadOnlyList<FenceToken> fences, CancellationToken cancellation = default) =>
        fences.Count == 0 ? AppendAsync(entries, cancellation) : throw new NotSupportedException($"the {Name} journal cannot fence writes");

    /// <summary>The entries of one persistence id from <paramref name="fromSequenceNr"/> on, in sequence order.</summary>
    IAsyncEnumerable<JournalEntry> ReadAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellation = default);

    /// <summary>The highest sequence number journaled for a persistence id, 0 when none.</summary>
    Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellation = default);

    /// <summary>Stores a snapshot; an existing one at the same sequence number is replaced.</summary>
    Task SaveSnapshotAsync(SnapshotEntry snapshot, CancellationToken cancellation = default);

    /// <summary>The snapshot with the highest sequence number, or null.</summary>
    Task<SnapshotEntry?> LoadSnapshotAsync(string persistenceId, CancellationToken cancellation = default);

    /// <summary>Deletes snapshots older than the given sequence number (housekeeping).</summary>
    Task DeleteSnapshotsBeforeAsync(string persistenceId, long sequenceNr, CancellationToken cancellation = default);
}
