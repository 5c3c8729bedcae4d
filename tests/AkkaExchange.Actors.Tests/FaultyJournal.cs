using AkkaExchange.Actors.Persistence;

namespace AkkaExchange.Actors.Tests;

/// <summary>A real journal that can be told to refuse the next appends, as a lost database would.</summary>
internal sealed class FaultyJournal(IJournal inner) : IJournal
{
    private int _failures;

    public void FailNextAppends(int count) => Volatile.Write(ref _failures, count);

    public string Name => inner.Name;
    public Task InitializeAsync(CancellationToken cancellation = default) => inner.InitializeAsync(cancellation);

    public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellation = default) =>
        Interlocked.Decrement(ref _failures) >= 0
            ? Task.FromException(new IOException("injected: database unreachable"))
            : inner.AppendAsync(entries, cancellation);

    public IAsyncEnumerable<JournalEntry> ReadAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellation = default) =>
        inner.ReadAsync(persistenceId, fromSequenceNr, cancellation);

    public Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellation = default) =>
        inner.HighestSequenceNrAsync(persistenceId, cancellation);

    public Task SaveSnapshotAsync(SnapshotEntry snapshot, CancellationToken cancellation = default) => inner.SaveSnapshotAsync(snapshot, cancellation);
    public Task<SnapshotEntry?> LoadSnapshotAsync(string persistenceId, CancellationToken cancellation = default) => inner.LoadSnapshotAsync(persistenceId, cancellation);

    public Task DeleteSnapshotsBeforeAsync(string persistenceId, long sequenceNr, CancellationToken cancellation = default) =>
        inner.DeleteSnapshotsBeforeAsync(persistenceId, sequenceNr, cancellation);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
