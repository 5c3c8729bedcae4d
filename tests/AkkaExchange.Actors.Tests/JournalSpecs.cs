using AkkaExchange.Actors.Persistence;

namespace AkkaExchange.Actors.Tests;

/// <summary>The one journal test suite: every implementation runs all of it against a real database.</summary>
public abstract class JournalSpecs
{
    /// <summary>A journal on storage shared by every call with the same <paramref name="store"/> (to test reopening).</summary>
    protected abstract Task<IJournal> OpenAsync(string store);

    private readonly string _store = Guid.NewGuid().ToString("N")[..12];

    private static JournalEntry Entry(string pid, long seq, string writer = "w1") =>
        new(pid, seq, (byte)(seq % 5 + 1), 1, [(byte)seq, 0xAB, (byte)pid.Length], 1_000 + seq, writer);

    private async Task<IJournal> JournalAsync()
    {
        var j = await OpenAsync(_store);
        await j.InitializeAsync();
        return j;
    }

    private static async Task<List<JournalEntry>> ReadAll(IJournal j, string pid, long from = 1)
    {
        var list = new List<JournalEntry>();
        await foreach (var e in j.ReadAsync(pid, from)) list.Add(e);
        return list;
    }

    [Fact]
    public async Task Appended_entries_read_back_in_sequence_order_with_every_field()
    {
        await using var j = await JournalAsync();
        await j.AppendAsync([Entry("A", 1), Entry("A", 2)]);
        await j.AppendAsync([Entry("A", 3)]);
        var read = await ReadAll(j, "A");
        Assert.Equal([1L, 2L, 3L], read.Select(e => e.SequenceNr));
        for (var i = 0; i < 3; i++)
        {
            var expected = Entry("A", i + 1);
            Assert.Equal((expected.EventType, expected.EventVersion, expected.Timestamp, expected.WriterId),
                (read[i].EventType, read[i].EventVersion, read[i].Timestamp, read[i].WriterId));
            Assert.Equal(expected.Payload, read[i].Payload);
        }
        Assert.True(read[0].Ordering < read[1].Ordering && read[1].Ordering < read[2].Ordering, "ordering increases with writes");
    }

    [Fact]
    public async Task Reading_from_a_sequence_number_skips_the_earlier_entries()
    {
        await using var j = await JournalAsync();
        await j.AppendAsync([Entry("A", 1), Entry("A", 2), Entry("A", 3), Entry("A", 4)]);
        Assert.Equal([3L, 4L], (await ReadAll(j, "A", 3)).Select(e => e.SequenceNr));
        Assert.Empty(await ReadAll(j, "A", 5));
    }

    [Fact]
    public async Task Streams_of_different_persistence_ids_are_independent()
    {
        await using var j = await JournalAsync();
        await j.AppendAsync([Entry("A", 1), Entry("B", 1), Entry("A", 2)]);
        Assert.Equal(2, await j.HighestSequenceNrAsync("A"));
        Assert.Equal(1, await j.HighestSequenceNrAsync("B"));
        Assert.Equal(0, await j.HighestSequenceNrAsync("C"));
        Assert.Single(await ReadAll(j, "B"));
    }

    [Fact]
    public async Task A_batch_naming_an_existing_sequence_number_is_refused_whole()
    {
        await using var j = await JournalAsync();
        await j.AppendAsync([Entry("A", 1), Entry("A", 2)]);
        await Assert.ThrowsAsync<JournalConflictException>(() => j.AppendAsync([Entry("B", 1), Entry("A", 3), Entry("A", 2, "w2")]));
        Assert.Equal(0, await j.HighestSequenceNrAsync("B"));
        Assert.Equal(2, await j.HighestSequenceNrAsync("A"));
        Assert.All(await ReadAll(j, "A"), e => Assert.Equal("w1", e.WriterId));
        // The journal stays usable after a refused batch.
        await j.AppendAsync([Entry("A", 3)]);
        Assert.Equal(3, await j.HighestSequenceNrAsync("A"));
    }

    [Fact]
    public async Task Entries_survive_closing_and_reopening_the_journal()
    {
        await using (var j = await JournalAsync()) await j.AppendAsync([Entry("A", 1), Entry("A", 2)]);
        await using var reopened = await JournalAsync();
        Assert.Equal(2, (await ReadAll(reopened, "A")).Count);
    }

    [Fact]
    public async Task Initializing_twice_is_harmless()
    {
        await using var j = await JournalAsync();
        await j.AppendAsync([Entry("A", 1)]);
        await j.InitializeAsync();
        Assert.Equal(1, await j.HighestSequenceNrAsync("A"));
    }

    [Fact]
    public async Task The_latest_snapshot_is_loaded_and_older_ones_can_be_deleted()
    {
        await using var j = await JournalAsync();
        Assert.Null(await j.LoadSnapshotAsync("A"));
        await j.SaveSnapshotAsync(new SnapshotEntry("A", 10, 1, [1], 5));
        await j.SaveSnapshotAsync(new SnapshotEntry("A", 20, 1, [2], 6));
        await j.SaveSnapshotAsync(new SnapshotEntry("B", 30, 1, [3], 7));
        var latest = await j.LoadSnapshotAsync("A");
        Assert.Equal((20L, 1, (byte)2), (latest!.SequenceNr, latest.Version, latest.Payload[0]));
        await j.SaveSnapshotAsync(new SnapshotEntry("A", 20, 2, [9], 8));
        Assert.Equal(9, (await j.LoadSnapshotAsync("A"))!.Payload[0]);
        await j.DeleteSnapshotsBeforeAsync("A", 20);
        Assert.Equal(20, (await j.LoadSnapshotAsync("A"))!.SequenceNr);
        Assert.Equal(30, (await j.LoadSnapshotAsync("B"))!.SequenceNr);
    }

    [Fact]
    public async Task Group_commit_writes_concurrent_batches_and_completes_each_after_its_commit()
    {
        await using var j = await JournalAsync();
        var writer = new GroupCommitWriter(j);
        var tasks = Enumerable.Range(0, 200).Select(i =>
            writer.WriteAsync([Entry($"S{i % 20}", i / 20 * 2 + 1), Entry($"S{i % 20}", i / 20 * 2 + 2)])).ToArray();
        await Task.WhenAll(tasks);
        await writer.DisposeAsync();
        for (var s = 0; s < 20; s++)
            Assert.Equal(Enumerable.Range(1, 20).Select(x => (long)x), (await ReadAll(j, $"S{s}")).Select(e => e.SequenceNr));
        Assert.Equal(400, writer.Entries);
        Assert.True(writer.Commits <= 200);
    }

    [Fact]
    public async Task Group_commit_fails_only_the_batch_that_conflicts()
    {
        await using var j = await JournalAsync();
        await j.AppendAsync([Entry("A", 1)]);
        await using var writer = new GroupCommitWriter(j);
        var good = writer.WriteAsync([Entry("B", 1), Entry("B", 2)]);
        var bad = writer.WriteAsync([Entry("A", 1, "intruder")]);
        var good2 = writer.WriteAsync([Entry("C", 1)]);
        await good;
        await good2;
        await Assert.ThrowsAsync<JournalConflictException>(() => bad);
        Assert.Equal(2, await j.HighestSequenceNrAsync("B"));
        Assert.Equal("w1", (await ReadAll(j, "A")).Single().WriterId);
    }
}
