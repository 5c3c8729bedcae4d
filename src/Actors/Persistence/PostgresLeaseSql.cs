using Npgsql;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// What shard leases and singleton leases share: the same lease rules on tables that differ only in their key
/// (<c>shard_id INT</c>, <c>name TEXT</c>). Table and column names are constants of the callers, never input.
/// </summary>
internal static class PostgresLeaseSql
{
    public static NpgsqlDataSource Open(PostgresJournalOptions options) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(options.ConnectionString) { SearchPath = options.Schema }.ConnectionString);

    /// <summary>Extends the leases still held under these epochs; returns the keys whose renewal failed (lost).</summary>
    public static async Task<IReadOnlyList<TKey>> RenewAsync<TKey>(NpgsqlDataSource source, string table, string key, string keyType, string owner,
        IReadOnlyCollection<(TKey Key, long Epoch)> held, TimeSpan ttl, CancellationToken cancellation) where TKey : notnull
    {
        if (held.Count == 0) return [];
        await using var cmd = source.CreateCommand($"""
            UPDATE {table} s SET lease_until = now() + $2
            FROM unnest($3::{keyType}[], $4::bigint[]) AS h(k, epoch)
            WHERE s.{key} = h.k AND s.epoch = h.epoch AND s.owner = $1 AND s.lease_until >= now()
            RETURNING s.{key}
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ttl });
        cmd.Parameters.Add(new NpgsqlParameter { Value = held.Select(h => h.Key).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = held.Select(h => h.Epoch).ToArray() });
        var renewed = new HashSet<TKey>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
            while (await r.ReadAsync(cancellation).ConfigureAwait(false))
                renewed.Add(r.GetFieldValue<TKey>(0));
        return held.Select(h => h.Key).Where(k => !renewed.Contains(k)).ToArray();
    }

    /// <summary>Gives a lease up at once (graceful hand-over) if it is still held under this epoch.</summary>
    public static async Task ReleaseAsync<TKey>(NpgsqlDataSource source, string table, string key, TKey value, string owner, long epoch,
        CancellationToken cancellation) where TKey : notnull
    {
        await using var cmd = source.CreateCommand($"UPDATE {table} SET owner = NULL, lease_until = 'epoch' WHERE {key} = $1 AND owner = $2 AND epoch = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = epoch });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }
}
