using Npgsql;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// What shard leases and singleton leases share: the same lease rules on tables that differ only in their key
/// (<c>shard_id INT</c>, <c>name TEXT</c>). Table and column names are constants of the callers, never input.
/// <para>
/// Locking, so that renewals never wait for commits but takeovers do: a fenced commit holds its lease rows
/// <c>FOR KEY SHARE</c> until it commits; a renewal is a plain UPDATE of <c>lease_until</c> (no conflict); an
/// acquisition locks the row <c>FOR UPDATE</c> first, which waits for every in-flight fenced commit.
/// </para>
/// </summary>
internal static class PostgresLeaseSql
{
    /// <summary>
    /// True when the node named by <paramref name="nodeId"/> (an SQL expression) has a membership row whose presence
    /// lock is held by a live session (<see cref="PostgresPresence"/>).
    /// </summary>
    public static string PresentSql(string nodeId) => $"""
        EXISTS (SELECT 1 FROM members m JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                AND l.classid = {PostgresPresence.LockClass}::oid AND l.objid = m.presence_key::oid
                AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            WHERE m.node_id = {nodeId})
        """;

    /// <summary>
    /// True when the lease row aliased <c>s</c> may be taken: no owner, the lease ran out (database clock), or the
    /// owner's PostgreSQL session is gone (a killed node frees its leases at once, without waiting for them to run out).
    /// </summary>
    public static readonly string FreeSql = $"(s.owner IS NULL OR s.lease_until < now() OR NOT {PresentSql("s.owner")})";

    public static NpgsqlDataSource Open(PostgresJournalOptions options) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(options.ConnectionString) { SearchPath = options.Schema }.ConnectionString);

    /// <summary>Takes a free lease (see <see cref="FreeSql"/>) and raises its epoch; returns the new epoch, or null when it is held.</summary>
    public static async Task<long?> TryAcquireAsync<TKey>(NpgsqlDataSource source, string table, string key, TKey value, string owner, TimeSpan ttl,
        CancellationToken cancellation) where TKey : notnull
    {
        await using var cmd = source.CreateCommand($"""
            WITH locked AS (SELECT {key} FROM {table} WHERE {key} = $1 FOR UPDATE)
            UPDATE {table} s SET owner = $2, epoch = s.epoch + 1, lease_until = now() + $3
            FROM locked WHERE s.{key} = locked.{key} AND {FreeSql}
            RETURNING s.epoch
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ttl });
        return await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false) is long epoch ? epoch : null;
    }

    /// <summary>
    /// Extends the leases still held under these epochs, synchronously on the given connection (the lease keeper's
    /// own thread and session); returns the keys whose renewal failed (lost).
    /// </summary>
    public static IReadOnlyList<TKey> Renew<TKey>(NpgsqlConnection connection, string table, string key, string keyType, string owner,
        IReadOnlyCollection<(TKey Key, long Epoch)> held, TimeSpan ttl) where TKey : notnull
    {
        if (held.Count == 0) return [];
        using var cmd = new NpgsqlCommand($"""
            UPDATE {table} s SET lease_until = now() + $2
            FROM unnest($3::{keyType}[], $4::bigint[]) AS h(k, epoch)
            WHERE s.{key} = h.k AND s.epoch = h.epoch AND s.owner = $1 AND s.lease_until >= now()
            RETURNING s.{key}
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ttl });
        cmd.Parameters.Add(new NpgsqlParameter { Value = held.Select(h => h.Key).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = held.Select(h => h.Epoch).ToArray() });
        var renewed = new HashSet<TKey>();
        using (var r = cmd.ExecuteReader())
            while (r.Read())
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

    /// <summary>
    /// Every row of a lease table in key order, each with whether it is free now (<see cref="FreeSql"/>); the key is
    /// column 0, then owner, epoch, lease end and free.
    /// </summary>
    public static async Task<IReadOnlyList<TRow>> ReadAllAsync<TRow>(NpgsqlDataSource source, string table, string key,
        Func<NpgsqlDataReader, string?, TRow> row, CancellationToken cancellation)
    {
        await using var cmd = source.CreateCommand($"SELECT {key}, owner, epoch, lease_until, {FreeSql} FROM {table} s ORDER BY {key}");
        var list = new List<TRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false)) list.Add(row(r, r.IsDBNull(1) ? null : r.GetString(1)));
        return list;
    }

    /// <summary>
    /// Frees every lease in <paramref name="owner"/>'s name: a node (re)joining under its id owns nothing yet, so
    /// leases of its previous incarnation (killed) need not run out first. Their epochs stay, so a previous
    /// incarnation still alive somehow is fenced at its next commit.
    /// </summary>
    public static async Task ReleaseAllAsync(NpgsqlDataSource source, string table, string owner, CancellationToken cancellation)
    {
        await using var cmd = source.CreateCommand($"UPDATE {table} SET owner = NULL, lease_until = 'epoch' WHERE owner = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }
}
