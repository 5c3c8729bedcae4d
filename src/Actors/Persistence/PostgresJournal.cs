using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// The cluster journal in PostgreSQL. A batch is written with binary COPY inside one transaction (the fastest
/// bulk path measured here); the primary key (persistence_id, sequence_nr) refuses a second writer.
/// </summary>
public sealed class PostgresJournal : IJournal
{
    private readonly NpgsqlDataSource _source;
    private readonly string _schema;

    public PostgresJournal(PostgresJournalOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        if (!System.Text.RegularExpressions.Regex.IsMatch(options.Schema, "^[a-z_][a-z0-9_]{0,62}$"))
            throw new ArgumentException("schema must be a lower-case SQL identifier", nameof(options));
        _schema = options.Schema;
        // A writer frozen mid-transaction (SIGSTOP) must not hold its locks for ever: the server ends such sessions,
        // which frees the shard rows a takeover waits for (see AppendAsync's fence check).
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            SearchPath = options.Schema,
            Options = "-c idle_in_transaction_session_timeout=2000 -c statement_timeout=10000",
        };
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public string Name => "postgres";

    public async Task InitializeAsync(CancellationToken cancellation = default)
    {
        await using var c = await _source.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        // Nodes starting together would race on CREATE ... IF NOT EXISTS; one lock makes them take turns.
        await using (var cmd = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock(7342001);
            CREATE SCHEMA IF NOT EXISTS {_schema};
            CREATE TABLE IF NOT EXISTS {_schema}.journal (
                ordering BIGINT GENERATED ALWAYS AS IDENTITY,
                persistence_id TEXT NOT NULL,
                sequence_nr BIGINT NOT NULL,
                event_type SMALLINT NOT NULL,
                event_version SMALLINT NOT NULL,
                payload BYTEA NOT NULL,
                timestamp BIGINT NOT NULL,
                writer_id TEXT NOT NULL,
                PRIMARY KEY (persistence_id, sequence_nr));
            CREATE TABLE IF NOT EXISTS {_schema}.shard_leases (
                shard_id INT PRIMARY KEY,
                owner TEXT,
                epoch BIGINT NOT NULL DEFAULT 0,
                lease_until TIMESTAMPTZ NOT NULL DEFAULT 'epoch');
            CREATE TABLE IF NOT EXISTS {_schema}.singleton_leases (
                name TEXT PRIMARY KEY,
                owner TEXT,
                epoch BIGINT NOT NULL DEFAULT 0,
                lease_until TIMESTAMPTZ NOT NULL DEFAULT 'epoch');
            CREATE TABLE IF NOT EXISTS {_schema}.members (
                node_id TEXT PRIMARY KEY,
                http_address TEXT NOT NULL,
                transport_address TEXT NOT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                status TEXT NOT NULL,
                heartbeat_at TIMESTAMPTZ NOT NULL);
            ALTER TABLE {_schema}.members ADD COLUMN IF NOT EXISTS presence_key INT;
            CREATE TABLE IF NOT EXISTS {_schema}.snapshots (
                persistence_id TEXT NOT NULL,
                sequence_nr BIGINT NOT NULL,
                version INT NOT NULL,
                payload BYTEA NOT NULL,
                timestamp BIGINT NOT NULL,
                PRIMARY KEY (persistence_id, sequence_nr));
            """, c, tx))
        {
            await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellation = default) =>
        AppendAsync(entries, [], cancellation);

    public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, IReadOnlyList<FenceToken> fences, CancellationToken cancellation = default)
    {
        if (entries.Count == 0) return;
        await using var c = await _source.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        try
        {
            await using (var copy = await c.BeginBinaryImportAsync(
                "COPY journal (persistence_id, sequence_nr, event_type, event_version, payload, timestamp, writer_id) FROM STDIN (FORMAT BINARY)",
                cancellation).ConfigureAwait(false))
            {
                foreach (var e in entries)
                {
                    await copy.StartRowAsync(cancellation).ConfigureAwait(false);
                    await copy.WriteAsync(e.PersistenceId, NpgsqlDbType.Text, cancellation).ConfigureAwait(false);
                    await copy.WriteAsync(e.SequenceNr, NpgsqlDbType.Bigint, cancellation).ConfigureAwait(false);
                    await copy.WriteAsync((short)e.EventType, NpgsqlDbType.Smallint, cancellation).ConfigureAwait(false);
                    await copy.WriteAsync((short)e.EventVersion, NpgsqlDbType.Smallint, cancellation).ConfigureAwait(false);
                    await copy.WriteAsync(e.Payload, NpgsqlDbType.Bytea, cancellation).ConfigureAwait(false);
                    await copy.WriteAsync(e.Timestamp, NpgsqlDbType.Bigint, cancellation).ConfigureAwait(false);
                    await copy.WriteAsync(e.WriterId, NpgsqlDbType.Text, cancellation).ConfigureAwait(false);
                }
                await copy.CompleteAsync(cancellation).ConfigureAwait(false);
            }
            if (fences.Count > 0) await CheckFencesAsync(c, tx, fences, cancellation).ConfigureAwait(false);
            await tx.CommitAsync(cancellation).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new JournalConflictException($"journal already holds an entry of this batch: {e.Detail}", e);
        }
    }

    /// <summary>
    /// The last statement before COMMIT: every fenced shard must still be the writer's, under the same epoch, with
    /// time left on its lease (database clock). FOR KEY SHARE holds those rows until the commit, so a takeover (which
    /// locks the row FOR UPDATE) waits for this commit instead of racing it, while renewals (plain UPDATEs of the
    /// lease time) do not; being last keeps that window short.
    /// </summary>
    private static async Task CheckFencesAsync(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<FenceToken> fences, CancellationToken cancellation)
    {
        var owner = fences[0].Owner;
        if (fences.Any(f => f.Owner != owner)) throw new ArgumentException("one commit is fenced by one owner", nameof(fences));
        var wanted = fences.DistinctBy(f => f.ShardId).ToArray();
        await using var cmd = new NpgsqlCommand("""
            SELECT s.shard_id FROM shard_leases s
            JOIN unnest($2::int[], $3::bigint[]) AS f(shard_id, epoch) ON s.shard_id = f.shard_id AND s.epoch = f.epoch
            WHERE s.owner = $1 AND s.lease_until > clock_timestamp()
            FOR KEY SHARE OF s
            """, c, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(f => f.ShardId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(f => f.Epoch).ToArray() });
        var held = new HashSet<int>();
        await using (var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
            while (await r.ReadAsync(cancellation).ConfigureAwait(false))
                held.Add(r.GetInt32(0));
        var lost = wanted.Where(f => !held.Contains(f.ShardId)).ToArray();
        if (lost.Length > 0)
        {
            await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new LeaseLostException($"{owner} no longer holds shard(s) {string.Join(',', lost.Select(f => $"{f.ShardId}@{f.Epoch}"))}");
        }
    }

    public async IAsyncEnumerable<JournalEntry> ReadAsync(string persistenceId, long fromSequenceNr,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        await using var c = await _source.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            SELECT persistence_id, sequence_nr, event_type, event_version, payload, timestamp, writer_id, ordering
            FROM journal WHERE persistence_id = $1 AND sequence_nr >= $2 ORDER BY sequence_nr
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = fromSequenceNr });
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            yield return new JournalEntry(r.GetString(0), r.GetInt64(1), (byte)r.GetInt16(2), (byte)r.GetInt16(3),
                (byte[])r[4], r.GetInt64(5), r.GetString(6), r.GetInt64(7));
    }

    public async Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand("SELECT COALESCE(MAX(sequence_nr), 0) FROM journal WHERE persistence_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        return (long)(await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false))!;
    }

    public async Task SaveSnapshotAsync(SnapshotEntry snapshot, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand("""
            INSERT INTO snapshots (persistence_id, sequence_nr, version, payload, timestamp) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET version = EXCLUDED.version, payload = EXCLUDED.payload, timestamp = EXCLUDED.timestamp
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = snapshot.PersistenceId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = snapshot.SequenceNr });
        cmd.Parameters.Add(new NpgsqlParameter { Value = snapshot.Version });
        cmd.Parameters.Add(new NpgsqlParameter { Value = snapshot.Payload });
        cmd.Parameters.Add(new NpgsqlParameter { Value = snapshot.Timestamp });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public async Task<SnapshotEntry?> LoadSnapshotAsync(string persistenceId, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand("""
            SELECT persistence_id, sequence_nr, version, payload, timestamp FROM snapshots
            WHERE persistence_id = $1 ORDER BY sequence_nr DESC LIMIT 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        return await r.ReadAsync(cancellation).ConfigureAwait(false)
            ? new SnapshotEntry(r.GetString(0), r.GetInt64(1), r.GetInt32(2), (byte[])r[3], r.GetInt64(4))
            : null;
    }

    public async Task DeleteSnapshotsBeforeAsync(string persistenceId, long sequenceNr, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand("DELETE FROM snapshots WHERE persistence_id = $1 AND sequence_nr < $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sequenceNr });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
