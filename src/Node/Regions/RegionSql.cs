using Npgsql;

namespace AkkaExchange.Node.Regions;

/// <summary>
/// The region record in the exchange's schema — which region is active, at which epoch — and the reads and writes
/// around it. The record lives in the replicated database, so a standby region always holds the epoch its primary
/// had; a failover raises it in the promoted database, which is how the old region learns it lost (from a peer).
/// </summary>
public static class RegionSql
{
    /// <summary>The table and its one row; the region whose node creates it (on the first primary) starts active.</summary>
    public const string CreateTable = """
        CREATE TABLE IF NOT EXISTS akkaex_region (
            id BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
            active_region TEXT NOT NULL,
            epoch BIGINT NOT NULL,
            changed_at TIMESTAMPTZ NOT NULL DEFAULT now());
        """;

    /// <summary>What the database says about itself and the regions.</summary>
    public sealed record View(bool InRecovery, string? ActiveRegion, long Epoch, string WalPosition, long? ReplayLagBytes, double? LastReplayAgeMs,
        IReadOnlyList<ReplicaLag> Replicas);

    public static async Task SeedAsync(NpgsqlConnection c, NpgsqlTransaction tx, string region, CancellationToken cancellation)
    {
        await using (var create = new NpgsqlCommand(CreateTable, c, tx)) await create.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("INSERT INTO akkaex_region (active_region, epoch) VALUES ($1, 1) ON CONFLICT DO NOTHING", c, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = region });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public static async Task<bool> InRecoveryAsync(NpgsqlConnection c, CancellationToken cancellation)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_is_in_recovery()", c);
        return (bool)(await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false))!;
    }

    public static async Task<View> ReadAsync(NpgsqlDataSource source, CancellationToken cancellation)
    {
        await using var c = await source.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        bool recovery;
        string wal;
        long? replayLag;
        double? replayAge;
        await using (var cmd = new NpgsqlCommand("""
            SELECT pg_is_in_recovery(),
                CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text ELSE pg_current_wal_lsn()::text END,
                CASE WHEN pg_is_in_recovery() THEN pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint END,
                CASE WHEN pg_is_in_recovery() THEN (EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 END
            """, c))
        await using (var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
        {
            await r.ReadAsync(cancellation).ConfigureAwait(false);
            recovery = r.GetBoolean(0);
            wal = r.IsDBNull(1) ? "" : r.GetString(1);
            replayLag = r.IsDBNull(2) ? null : r.GetInt64(2);
            replayAge = r.IsDBNull(3) ? null : r.GetDouble(3);
        }
        string? active = null;
        long epoch = 0;
        await using (var cmd = new NpgsqlCommand("SELECT active_region, epoch FROM akkaex_region", c))
        {
            try
            {
                await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
                if (await r.ReadAsync(cancellation).ConfigureAwait(false)) (active, epoch) = (r.GetString(0), r.GetInt64(1));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // Not created yet (the first primary's node has not started): no region is active.
            }
        }
        var replicas = new List<ReplicaLag>();
        if (!recovery)
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT application_name, coalesce(state, ''), coalesce(sync_state, ''),
                    coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint, (EXTRACT(EPOCH FROM replay_lag) * 1000)::float8
                FROM pg_stat_replication ORDER BY application_name
                """, c);
            await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
            while (await r.ReadAsync(cancellation).ConfigureAwait(false))
                replicas.Add(new ReplicaLag(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetDouble(4)));
        }
        return new View(recovery, active, epoch, wal, replayLag, replayAge, replicas);
    }

    /// <summary>
    /// Records in this (writable) database that <paramref name="region"/> holds <paramref name="epoch"/>, when this database
    /// knows less. The commit does not wait for a synchronous standby: an old primary has none left to wait for.
    /// </summary>
    public static async Task RecordAsync(NpgsqlDataSource source, string region, long epoch, CancellationToken cancellation)
    {
        await using var c = await source.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await using (var local = new NpgsqlCommand("SET LOCAL synchronous_commit = local", c, tx)) await local.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand("UPDATE akkaex_region SET active_region = $1, epoch = $2, changed_at = now() WHERE epoch < $2", c, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = region });
            cmd.Parameters.Add(new NpgsqlParameter { Value = epoch });
            await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// The first half of a planned rotation, on the active region's primary: names <paramref name="to"/> active at the
    /// next epoch (a synchronous commit: the standby has it when this returns), waits until no lease is live any more
    /// (every node of this region has given its shards and singletons up, and the fence refuses their late writes),
    /// then until every standby has replayed this primary's WAL up to that point. Returns the epoch and that position.
    /// </summary>
    public static async Task<(long Epoch, string WalPosition)> HandOverAsync(NpgsqlDataSource source, string to, TimeSpan timeout, CancellationToken cancellation)
    {
        await using var c = await source.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        long epoch;
        await using (var cmd = new NpgsqlCommand("UPDATE akkaex_region SET active_region = $1, epoch = epoch + 1, changed_at = now() RETURNING epoch", c))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = to });
            epoch = (long)(await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false))!;
        }
        var deadline = DateTime.UtcNow + timeout;
        await WaitAsync(c, "SELECT count(*) = 0 FROM akka_leases WHERE expires_at > clock_timestamp()", deadline, "leases still live", cancellation).ConfigureAwait(false);
        string position;
        await using (var cmd = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", c))
            position = (string)(await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false))!;
        await WaitAsync(c, $"""
            SELECT count(*) > 0 AND bool_and(replay_lsn >= '{position}'::pg_lsn) FROM pg_stat_replication
            """, deadline, "a standby has not replayed the last commit", cancellation).ConfigureAwait(false);
        return (epoch, position);
    }

    private static async Task WaitAsync(NpgsqlConnection c, string condition, DateTime deadline, string what, CancellationToken cancellation)
    {
        await using var cmd = new NpgsqlCommand(condition, c);
        while (await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false) is not true)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"hand-over stopped waiting: {what}");
            await Task.Delay(100, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes this region's database the primary and this region the active one: promotes a replica (waiting for it),
    /// stops waiting for a synchronous standby (the old primary is gone; re-enable it when a standby is back; skipped
    /// where the database allows no ALTER SYSTEM, as on Amazon RDS), and raises the epoch. Returns the new epoch and whether a promotion happened.
    /// </summary>
    public static async Task<(long Epoch, bool Promoted)> TakeOverAsync(NpgsqlDataSource source, string region, CancellationToken cancellation)
    {
        await using var c = await source.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        var promoted = false;
        if (await InRecoveryAsync(c, cancellation).ConfigureAwait(false))
        {
            await using var promote = new NpgsqlCommand("SELECT pg_promote(true, 60)", c);
            if (await promote.ExecuteScalarAsync(cancellation).ConfigureAwait(false) is not true)
                throw new InvalidOperationException("the database did not finish its promotion within 60 s");
            promoted = true;
        }
        try
        {
            await using (var sync = new NpgsqlCommand("ALTER SYSTEM SET synchronous_standby_names = ''", c)) await sync.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
            await using (var reload = new NpgsqlCommand("SELECT pg_reload_conf()", c)) await reload.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // Managed PostgreSQL (Amazon RDS, Aurora) allows no ALTER SYSTEM: replication there is the provider's
            // setting (parameter group, global database), and its promotion is done through the provider first
            // (deploy/k8s/README.md, "Regions on AWS").
        }
        await using var tx = await c.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await using (var local = new NpgsqlCommand(CreateTable + "SET LOCAL synchronous_commit = local;", c, tx))
            await local.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO akkaex_region (active_region, epoch) VALUES ($1, 1)
            ON CONFLICT (id) DO UPDATE SET active_region = excluded.active_region, epoch = akkaex_region.epoch + 1, changed_at = now()
            RETURNING epoch;
            """, c, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = region });
        var epoch = (long)(await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false))!;
        await tx.CommitAsync(cancellation).ConfigureAwait(false);
        return (epoch, promoted);
    }
}
