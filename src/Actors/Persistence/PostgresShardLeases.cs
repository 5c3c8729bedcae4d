using Npgsql;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// Shard ownership as lease rows in PostgreSQL. Every acquisition increments the shard's epoch; leases are
/// timed by the database clock (<c>now()</c>), so the nodes' clocks do not matter. A shard is free when it has
/// no owner, its lease has run out, or its owner's session is gone (<see cref="PostgresPresence"/>). Renewal runs on
/// the owner's presence session. Exclusive by construction: acquiring is one conditional UPDATE.
/// </summary>
public sealed class PostgresShardLeases : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresShardLeases(PostgresJournalOptions options) => _source = PostgresLeaseSql.Open(options);

    /// <summary>Creates the rows of shards 0..count-1 when missing (the tables come with the journal's schema).</summary>
    public async Task EnsureShardsAsync(int count, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand(
            "INSERT INTO shard_leases (shard_id) SELECT generate_series(0, $1 - 1) ON CONFLICT (shard_id) DO NOTHING");
        cmd.Parameters.Add(new NpgsqlParameter { Value = count });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes a free shard for <paramref name="owner"/> (no owner, lease run out, or the owner's session gone); returns
    /// the new epoch, or null when someone else holds it.
    /// </summary>
    public Task<long?> TryAcquireAsync(int shard, string owner, TimeSpan ttl, CancellationToken cancellation = default) =>
        PostgresLeaseSql.TryAcquireAsync(_source, "shard_leases", "shard_id", shard, owner, ttl, cancellation);

    /// <summary>Frees the leases of this node id's previous incarnation (see <see cref="PostgresLeaseSql.ReleaseAllAsync"/>).</summary>
    public Task ReleaseAllAsync(string owner, CancellationToken cancellation = default) =>
        PostgresLeaseSql.ReleaseAllAsync(_source, "shard_leases", owner, cancellation);

    /// <summary>Gives a shard up at once (graceful hand-over): the next node may take it without waiting for the lease.</summary>
    public Task ReleaseAsync(int shard, string owner, long epoch, CancellationToken cancellation = default) =>
        PostgresLeaseSql.ReleaseAsync(_source, "shard_leases", "shard_id", shard, owner, epoch, cancellation);

    /// <summary>The whole shard table, by shard id.</summary>
    public Task<IReadOnlyList<ShardLease>> ReadAllAsync(CancellationToken cancellation = default) =>
        PostgresLeaseSql.ReadAllAsync(_source, "shard_leases", "shard_id",
            (r, owner) => new ShardLease(r.GetInt32(0), owner, r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3), r.GetBoolean(4)), cancellation);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
