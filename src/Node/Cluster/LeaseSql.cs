using Npgsql;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// The lease table (<c>akka_leases</c>) behind every Akka.NET lease of a cluster — shards, singletons, the split brain
/// resolver. A lease is held by an owner (Akka's owner name, the node's host:port) under a presence key (the advisory
/// lock of that node's PostgreSQL session, <see cref="LeaseKeeper"/>) until <c>expires_at</c>, by the database clock.
/// <para>
/// A lease is free when nobody holds it, when it ran out, or when its holder's presence lock is gone: a killed node
/// frees its leases at once, a frozen one when they run out. Taking one locks its row <c>FOR UPDATE</c>, which waits
/// for every journal or ledger write that proved the lease <c>FOR KEY SHARE</c> (<see cref="JournalFence"/>); renewals
/// are plain updates and wait for nothing. Table and column names are constants, never input.
/// </para>
/// </summary>
public static class LeaseSql
{
    /// <summary>The first key of every presence lock; the second is the node's presence key.</summary>
    public const int PresenceLockClass = 7342002;

    public const string CreateTable = """
        CREATE TABLE IF NOT EXISTS akka_leases (
            name TEXT PRIMARY KEY, owner TEXT, owner_key INT, epoch BIGINT NOT NULL DEFAULT 0,
            expires_at TIMESTAMPTZ NOT NULL DEFAULT 'epoch');
        """;

    /// <summary>True when the presence lock with the key in <paramref name="key"/> (an SQL expression) is held by a live session.</summary>
    public static string PresentSql(string key) => $"""
        EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
            AND l.classid = {PresenceLockClass}::oid AND l.objid = ({key})::oid
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
        """;

    /// <summary>True when the lease row aliased <c>s</c> may be taken by anyone.</summary>
    public static readonly string FreeSql = $"(s.owner IS NULL OR s.expires_at < now() OR s.owner_key IS NULL OR NOT {PresentSql("s.owner_key")})";

    /// <summary>
    /// A condition for a fenced write (parameters or expressions <paramref name="owner"/> and <paramref name="key"/>): true
    /// while the lease <paramref name="name"/> is held by them, locking its row <c>FOR KEY SHARE</c> to the end of the
    /// transaction so that a takeover waits for the commit.
    /// </summary>
    public static string HeldSql(string name, string owner, string key) =>
        $"SELECT 1 FROM akka_leases WHERE name = {name} AND owner = {owner} AND owner_key = {key} AND expires_at > clock_timestamp() FOR KEY SHARE";

    /// <summary>Takes the lease when it is free or already this owner's; returns its epoch (raised when the holder changes), or null.</summary>
    public static async Task<long?> TryAcquireAsync(NpgsqlDataSource source, string name, string owner, int key, TimeSpan ttl, CancellationToken cancellation)
    {
        await using var connection = await source.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        // Two statements: PostgreSQL's extended protocol takes one command per prepared statement.
        await using (var insert = new NpgsqlCommand("INSERT INTO akka_leases (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", connection))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = name });
            await insert.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }
        await using var cmd = new NpgsqlCommand($"""
            WITH locked AS (SELECT name FROM akka_leases WHERE name = $1 FOR UPDATE)
            UPDATE akka_leases s SET owner = $2, owner_key = $3, expires_at = now() + $4,
                epoch = CASE WHEN s.owner = $2 AND s.owner_key = $3 THEN s.epoch ELSE s.epoch + 1 END
            FROM locked WHERE s.name = locked.name AND ((s.owner = $2 AND s.owner_key = $3) OR {FreeSql})
            RETURNING s.epoch
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ttl });
        return await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false) is long epoch ? epoch : null;
    }

    /// <summary>Extends the leases still held; returns the names renewed. Synchronous: the keeper's own thread and session.</summary>
    public static HashSet<string> Renew(NpgsqlConnection connection, IReadOnlyCollection<string> names, string owner, int key, TimeSpan ttl)
    {
        var renewed = new HashSet<string>(StringComparer.Ordinal);
        if (names.Count == 0) return renewed;
        using var cmd = new NpgsqlCommand("""
            UPDATE akka_leases SET expires_at = now() + $1
            WHERE name = ANY($2) AND owner = $3 AND owner_key = $4 AND expires_at >= now()
            RETURNING name
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = ttl });
        cmd.Parameters.Add(new NpgsqlParameter { Value = names.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        using var r = cmd.ExecuteReader();
        while (r.Read()) renewed.Add(r.GetString(0));
        return renewed;
    }

    /// <summary>Gives a lease up at once, if this owner still holds it.</summary>
    public static async Task ReleaseAsync(NpgsqlDataSource source, string name, string owner, int key, CancellationToken cancellation)
    {
        await using var cmd = source.CreateCommand(
            "UPDATE akka_leases SET owner = NULL, owner_key = NULL, expires_at = 'epoch' WHERE name = $1 AND owner = $2 AND owner_key = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Every lease, by name, with its holder when it is held now.</summary>
    public static async Task<IReadOnlyList<LeaseRow>> ReadAllAsync(NpgsqlDataSource source, CancellationToken cancellation)
    {
        await using var cmd = source.CreateCommand($"SELECT name, owner, epoch, expires_at, {FreeSql} FROM akka_leases s ORDER BY name");
        var rows = new List<LeaseRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            rows.Add(new LeaseRow(r.GetString(0), r.GetBoolean(4) ? null : r.GetString(1), r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3)));
        return rows;
    }
}
