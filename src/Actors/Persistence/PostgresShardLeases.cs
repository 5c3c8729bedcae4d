using Npgsql;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// Shard ownership as lease rows in PostgreSQL. Every acquisition increments the shard's epoch; leases are
/// timed by the database clock (<c>now()</c>), so the nodes' clocks do not matter. A shard is free when it has
/// no owner or its lease has run out. Exclusive by construction: acquiring is one conditional UPDATE.
/// </summary>
public sealed class PostgresShardLeases : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresShardLeases(PostgresJournalOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { SearchPath = options.Schema };
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>Creates the rows of shards 0..count-1 when missing (the tables come with the journal's schema).</summary>
    public async Task EnsureShardsAsync(int count, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand(
            "INSERT INTO shard_leases (shard_id) SELECT generate_series(0, $1 - 1) ON CONFLICT (shard_id) DO NOTHING");
        cmd.Parameters.Add(new NpgsqlParameter { Value = count });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Takes a free shard for <paramref name="owner"/>; returns the new epoch, or null when someone else holds it.</summary>
    public async Task<long?> TryAcquireAsync(int shard, string owner, TimeSpan ttl, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand("""
            UPDATE shard_leases SET owner = $2, epoch = epoch + 1, lease_until = now() + $3
            WHERE shard_id = $1 AND (owner IS NULL OR lease_until < now())
            RETURNING epoch
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = shard });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ttl });
        return await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false) is long epoch ? epoch : null;
    }

    /// <summary>Extends the leases still held under these epochs; returns the shards whose renewal failed (lost).</summary>
    public async Task<IReadOnlyList<int>> RenewAsync(string owner, IReadOnlyCollection<(int Shard, long Epoch)> held, TimeSpan ttl,
        CancellationToken cancellation = default)
    {
        if (held.Count == 0) return [];
        await using var cmd = _source.CreateCommand("""
            UPDATE shard_leases s SET lease_until = now() + $2
            FROM unnest($3::int[], $4::bigint[]) AS h(shard_id, epoch)
            WHERE s.shard_id = h.shard_id AND s.epoch = h.epoch AND s.owner = $1 AND s.lease_until >= now()
            RETURNING s.shard_id
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ttl });
        cmd.Parameters.Add(new NpgsqlParameter { Value = held.Select(h => h.Shard).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = held.Select(h => h.Epoch).ToArray() });
        var renewed = new HashSet<int>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
            while (await r.ReadAsync(cancellation).ConfigureAwait(false))
                renewed.Add(r.GetInt32(0));
        return held.Select(h => h.Shard).Where(s => !renewed.Contains(s)).ToArray();
    }

    /// <summary>Gives a shard up at once (graceful hand-off): the next node may take it without waiting for the lease.</summary>
    public async Task ReleaseAsync(int shard, string owner, long epoch, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand(
            "UPDATE shard_leases SET owner = NULL, lease_until = 'epoch' WHERE shard_id = $1 AND owner = $2 AND epoch = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = shard });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = epoch });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>The whole shard table, by shard id.</summary>
    public async Task<IReadOnlyList<ShardLease>> ReadAllAsync(CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand(
            "SELECT shard_id, owner, epoch, lease_until, lease_until < now() FROM shard_leases ORDER BY shard_id");
        var list = new List<ShardLease>();
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            list.Add(new ShardLease(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3), r.GetBoolean(4)));
        return list;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
