using AkkaExchange.Actors.Persistence;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Actors.Tests;

/// <summary>Shard ownership and fenced writes on a real PostgreSQL: no two nodes ever commit for the same shard.</summary>
public sealed class ShardLeaseSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private readonly string _schema = TestPostgres.NewSchema();
    private PostgresJournal _journal = null!;
    private PostgresShardLeases _leases = null!;

    public async Task InitializeAsync()
    {
        var options = new PostgresJournalOptions(await TestPostgres.ConnectionStringAsync(), _schema);
        _journal = new PostgresJournal(options);
        await _journal.InitializeAsync();
        _leases = new PostgresShardLeases(options);
        await _leases.EnsureShardsAsync(8);
    }

    public async Task DisposeAsync()
    {
        await _journal.DisposeAsync();
        await _leases.DisposeAsync();
    }

    private static JournalEntry Entry(string pid, long seq, string writer) => new(pid, seq, 1, 1, [1, 2, 3], seq, writer);

    [Fact]
    public async Task Only_one_node_holds_a_shard_and_every_acquisition_raises_the_epoch()
    {
        Assert.Equal(1, await _leases.TryAcquireAsync(3, "A", Long));
        Assert.Null(await _leases.TryAcquireAsync(3, "B", Long));
        Assert.Null(await _leases.TryAcquireAsync(3, "A", Long));
        await _leases.ReleaseAsync(3, "A", 1);
        Assert.Equal(2, await _leases.TryAcquireAsync(3, "B", Long));
        var row = (await _leases.ReadAllAsync()).Single(l => l.ShardId == 3);
        Assert.Equal(("B", 2L), (row.Owner, row.Epoch));
        Assert.Equal(8, (await _leases.ReadAllAsync()).Count);
    }

    [Fact]
    public async Task Concurrent_acquisitions_of_one_shard_have_exactly_one_winner()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => _leases.TryAcquireAsync(5, $"N{i}", Long)));
        Assert.Single(attempts, a => a is not null);
    }

    [Fact]
    public async Task An_expired_lease_can_be_taken_over_and_the_old_owner_can_no_longer_renew_it()
    {
        var epoch = (await _leases.TryAcquireAsync(1, "A", TimeSpan.FromSeconds(2)))!.Value;
        Assert.Empty(await _leases.RenewAsync("A", [(1, epoch)], TimeSpan.FromMilliseconds(100)));
        await Task.Delay(600);
        Assert.Equal(epoch + 1, await _leases.TryAcquireAsync(1, "B", Long));
        Assert.Equal([1], await _leases.RenewAsync("A", [(1, epoch)], Long));
    }

    [Fact]
    public async Task A_fenced_write_commits_while_the_lease_holds_and_is_refused_after_a_takeover()
    {
        var held = (await _leases.TryAcquireAsync(0, "A", Long))!.Value;
        await _journal.AppendAsync([Entry("KEPT", 1, "A")], [new FenceToken(0, held, "A")]);

        // Only lower bounds on time below: a short lease, then a wait well past it.
        var a = (await _leases.TryAcquireAsync(2, "A", TimeSpan.FromMilliseconds(100)))!.Value;
        await Task.Delay(600);
        // A's lease ran out: even before anyone takes the shard, A may not write.
        await Assert.ThrowsAsync<LeaseLostException>(() => _journal.AppendAsync([Entry("SYM", 1, "A")], [new FenceToken(2, a, "A")]));
        var b = (await _leases.TryAcquireAsync(2, "B", Long))!.Value;
        await Assert.ThrowsAsync<LeaseLostException>(() => _journal.AppendAsync([Entry("SYM", 1, "A")], [new FenceToken(2, a, "A")]));
        await _journal.AppendAsync([Entry("SYM", 1, "B")], [new FenceToken(2, b, "B")]);
        var rows = new List<JournalEntry>();
        await foreach (var e in _journal.ReadAsync("SYM", 1)) rows.Add(e);
        Assert.Equal([("B", 1L)], rows.Select(r => (r.WriterId, r.SequenceNr)));
        Assert.Equal(1, await _journal.HighestSequenceNrAsync("KEPT"));
    }

    [Fact]
    public async Task Group_commit_fails_only_the_batch_of_the_shard_that_was_lost()
    {
        var held = (await _leases.TryAcquireAsync(6, "A", Long))!.Value;
        var lost = (await _leases.TryAcquireAsync(7, "A", Long))!.Value;
        await _leases.ReleaseAsync(7, "A", lost);
        await _leases.TryAcquireAsync(7, "B", Long);
        await using var writer = new GroupCommitWriter(_journal);
        var good = writer.WriteAsync([Entry("HELD", 1, "A")], new FenceToken(6, held, "A"));
        var bad = writer.WriteAsync([Entry("LOST", 1, "A")], new FenceToken(7, lost, "A"));
        await good;
        await Assert.ThrowsAsync<LeaseLostException>(() => bad);
        Assert.Equal(1, await _journal.HighestSequenceNrAsync("HELD"));
        Assert.Equal(0, await _journal.HighestSequenceNrAsync("LOST"));
    }

    [Fact]
    public async Task The_embedded_journal_refuses_fenced_writes_rather_than_ignoring_them()
    {
        await using var sqlite = new SqliteJournal(new SqliteJournalOptions(Path.Combine(RepositoryPaths.TempDirectory("fence"), "j.db")));
        await sqlite.InitializeAsync();
        IJournal journal = sqlite;
        await Assert.ThrowsAsync<NotSupportedException>(() => journal.AppendAsync([Entry("X", 1, "A")], [new FenceToken(0, 1, "A")]));
    }
}
