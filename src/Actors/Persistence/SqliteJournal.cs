using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// The embedded journal: one SQLite file in WAL mode. Writes go through one connection (the group-commit
/// writer is the only writer); reads open their own pooled connections and run beside it.
/// </summary>
public sealed class SqliteJournal : IJournal
{
    private static int _initialized;
    private readonly SqliteJournalOptions _options;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;

    public SqliteJournal(SqliteJournalOptions options)
    {
        if (Interlocked.Exchange(ref _initialized, 1) == 0) SQLitePCL.Batteries_V2.Init();
        if (options.Synchronous is not ("FULL" or "NORMAL" or "EXTRA"))
            throw new ArgumentException("synchronous must be FULL, NORMAL or EXTRA", nameof(options));
        _options = options;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Name => "sqlite";

    public async Task InitializeAsync(CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await ExecuteAsync(c, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS journal (
                ordering INTEGER PRIMARY KEY AUTOINCREMENT,
                persistence_id TEXT NOT NULL,
                sequence_nr INTEGER NOT NULL,
                event_type INTEGER NOT NULL,
                event_version INTEGER NOT NULL,
                payload BLOB NOT NULL,
                timestamp INTEGER NOT NULL,
                writer_id TEXT NOT NULL,
                UNIQUE (persistence_id, sequence_nr));
            CREATE TABLE IF NOT EXISTS snapshots (
                persistence_id TEXT NOT NULL,
                sequence_nr INTEGER NOT NULL,
                version INTEGER NOT NULL,
                payload BLOB NOT NULL,
                timestamp INTEGER NOT NULL,
                PRIMARY KEY (persistence_id, sequence_nr));
            """, cancellation).ConfigureAwait(false);
    }

    public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellation = default)
    {
        if (entries.Count == 0) return;
        await _writeLock.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            _writer ??= await OpenAsync(cancellation).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await _writer.BeginTransactionAsync(cancellation).ConfigureAwait(false);
            await using var insert = _writer.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO journal (persistence_id, sequence_nr, event_type, event_version, payload, timestamp, writer_id)
                VALUES ($pid, $seq, $type, $version, $payload, $ts, $writer)
                """;
            var pid = insert.Parameters.Add("$pid", SqliteType.Text);
            var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var type = insert.Parameters.Add("$type", SqliteType.Integer);
            var version = insert.Parameters.Add("$version", SqliteType.Integer);
            var payload = insert.Parameters.Add("$payload", SqliteType.Blob);
            var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
            var writer = insert.Parameters.Add("$writer", SqliteType.Text);
            insert.Prepare();
            try
            {
                foreach (var e in entries)
                {
                    pid.Value = e.PersistenceId;
                    seq.Value = e.SequenceNr;
                    type.Value = (int)e.EventType;
                    version.Value = (int)e.EventVersion;
                    payload.Value = e.Payload;
                    ts.Value = e.Timestamp;
                    writer.Value = e.WriterId;
                    await insert.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
                }
                await tx.CommitAsync(cancellation).ConfigureAwait(false);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */)
            {
                await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                throw new JournalConflictException($"journal already holds {pid.Value}#{seq.Value}", e);
            }
        }
        catch (SqliteException)
        {
            // The connection may be unusable after an I/O error; the next write opens a fresh one.
            await ResetWriterAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async IAsyncEnumerable<JournalEntry> ReadAsync(string persistenceId, long fromSequenceNr,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT persistence_id, sequence_nr, event_type, event_version, payload, timestamp, writer_id, ordering
            FROM journal WHERE persistence_id = $pid AND sequence_nr >= $from ORDER BY sequence_nr
            """;
        cmd.Parameters.AddWithValue("$pid", persistenceId);
        cmd.Parameters.AddWithValue("$from", fromSequenceNr);
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            yield return new JournalEntry(r.GetString(0), r.GetInt64(1), (byte)r.GetInt32(2), (byte)r.GetInt32(3),
                (byte[])r[4], r.GetInt64(5), r.GetString(6), r.GetInt64(7));
    }

    public async Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(sequence_nr), 0) FROM journal WHERE persistence_id = $pid";
        cmd.Parameters.AddWithValue("$pid", persistenceId);
        return (long)(await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false))!;
    }

    public async Task SaveSnapshotAsync(SnapshotEntry snapshot, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT OR REPLACE INTO snapshots (persistence_id, sequence_nr, version, payload, timestamp)
            VALUES ($pid, $seq, $version, $payload, $ts)
            """;
        cmd.Parameters.AddWithValue("$pid", snapshot.PersistenceId);
        cmd.Parameters.AddWithValue("$seq", snapshot.SequenceNr);
        cmd.Parameters.AddWithValue("$version", snapshot.Version);
        cmd.Parameters.AddWithValue("$payload", snapshot.Payload);
        cmd.Parameters.AddWithValue("$ts", snapshot.Timestamp);
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public async Task<SnapshotEntry?> LoadSnapshotAsync(string persistenceId, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT persistence_id, sequence_nr, version, payload, timestamp FROM snapshots
            WHERE persistence_id = $pid ORDER BY sequence_nr DESC LIMIT 1
            """;
        cmd.Parameters.AddWithValue("$pid", persistenceId);
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        return await r.ReadAsync(cancellation).ConfigureAwait(false)
            ? new SnapshotEntry(r.GetString(0), r.GetInt64(1), r.GetInt32(2), (byte[])r[3], r.GetInt64(4))
            : null;
    }

    public async Task DeleteSnapshotsBeforeAsync(string persistenceId, long sequenceNr, CancellationToken cancellation = default)
    {
        await using var c = await OpenAsync(cancellation).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM snapshots WHERE persistence_id = $pid AND sequence_nr < $seq";
        cmd.Parameters.AddWithValue("$pid", persistenceId);
        cmd.Parameters.AddWithValue("$seq", sequenceNr);
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await ResetWriterAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }

    private async Task ResetWriterAsync()
    {
        if (_writer is null) return;
        await _writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellation)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(cancellation).ConfigureAwait(false);
        await ExecuteAsync(c, $"PRAGMA synchronous={_options.Synchronous}; PRAGMA busy_timeout=30000;", cancellation).ConfigureAwait(false);
        return c;
    }

    private static async Task ExecuteAsync(SqliteConnection c, string sql, CancellationToken cancellation)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }
}
