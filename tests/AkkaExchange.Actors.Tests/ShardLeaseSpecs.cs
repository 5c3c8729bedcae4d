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
    private PostgresMembership _members = null!;
    private PostgresJournalOptions _options = null!;
    private readonly Dictionary<string, PostgresPresence> _presence = new();

    public async Task InitializeAsync()
    {
        _options = new PostgresJournalOptions(await TestPostgres.ConnectionStringAsync(), _schema);
        _journal = new PostgresJournal(_options);
        await _journal.InitializeAsync();
        _leases = new PostgresShardLeases(_options);
        _members = new PostgresMembership(_options);
        await _leases.EnsureShardsAsync(8);
        foreach (var node in new[] { "A", "B" }) await JoinAsync(node);
    }

    /// <summary>A node as the cluster sees one: a presence session and a membership row carrying its key.</summary>
    private async Task JoinAsync(string node)
    {
        var presence = new PostgresPresence(_options);
        presence.Open();
        _presence[node] = presence;
        await _members.HeartbeatAsync(node, "http://x", "x:1", DateTimeOffset.UtcNow, "up", presence.Key);
    }

    public async Task DisposeAsync()
    {
        foreach (var p in _presence.Values) p.Dispose();
        await _journal.DisposeAsync();
        await _leases.DisposeAsync();
        await _members.DisposeAsync();
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
        for (var i = 0; i < 16; i++) await JoinAsync($"N{i}");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => _leases.TryAcquireAsync(5, $"N{i}", Long)));
        Assert.Single(attempts, a => a is not null);
    }

    [Fact]
    public async Task An_expired_lease_can_be_taken_over_and_the_old_owner_can_no_longer_renew_it()
    {
        var epoch = (await _leases.TryAcquireAsync(1, "A", TimeSpan.FromSeconds(2)))!.Value;
        Assert.Empty(_presence["A"].RenewShards("A", [(1, epoch)], TimeSpan.FromMilliseconds(100)));
        await Task.Delay(600);
        Assert.Equal(epoch + 1, await _leases.TryAcquireAsync(1, "B", Long));
        Assert.Equal([1], _presence["A"].RenewShards("A", [(1, epoch)], Long));
    }

    [Fact]
    public async Task A_node_whose_session_ends_frees_its_leases_at_once_and_is_fenced()
    {
        var epoch = (await _leases.TryAcquireAsync(4, "A", Long))!.Value;
        Assert.Null(await _leases.TryAcquireAsync(4, "B", Long));
        Assert.Contains(await _members.ReadAllAsync(), m => m.NodeId == "A" && m.Present);

        _presence["A"].Close(); // what kill -9 does to the process's socket
        Assert.Contains(await _members.ReadAllAsync(), m => m.NodeId == "A" && !m.Present);
        Assert.True((await _leases.ReadAllAsync()).Single(l => l.ShardId == 4).IsFree);
        Assert.Equal(epoch + 1, await _leases.TryAcquireAsync(4, "B", Long));
        await Assert.ThrowsAsync<LeaseLostException>(() => _journal.AppendAsync([Entry("GONE", 1, "A")], [new FenceToken(4, epoch, "A")]));

        // The same node id rejoining (a restarted pod) owns nothing of its previous incarnation's.
        await JoinAsync("A");
        Assert.Null(await _leases.TryAcquireAsync(4, "A", Long));
    }

    [Fact]
    public async Task A_renewal_does_not_wait_for_an_in_flight_commit_but_a_takeover_does()
    {
        var epoch = (await _leases.TryAcquireAsync(5, "A", Long))!.Value;
        await using var writer = await NpgsqlDataSourceFor().OpenConnectionAsync();
        await using var tx = await writer.BeginTransactionAsync();
        await using (var fence = new Npgsql.NpgsqlCommand("SELECT 1 FROM shard_leases WHERE shard_id = 5 FOR KEY SHARE", writer, tx))
            await fence.ExecuteScalarAsync();

        // The presence session has a 5 s command timeout: a renewal blocked by the fence would throw, not hang.
        Assert.Empty(_presence["A"].RenewShards("A", [(5, epoch)], Long));
        _presence["A"].Close();
        var takeover = _leases.TryAcquireAsync(5, "B", Long);
        await Task.Delay(500);
        Assert.False(takeover.IsCompleted, "a takeover must wait for the commit that holds the fence");
        await tx.CommitAsync();
        Assert.Equal(epoch + 1, await takeover);
    }

    private Npgsql.NpgsqlDataSource NpgsqlDataSourceFor() =>
        Npgsql.NpgsqlDataSource.Create(new Npgsql.NpgsqlConnectionStringBuilder(_options.ConnectionString) { SearchPath = _schema }.ConnectionString);

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
