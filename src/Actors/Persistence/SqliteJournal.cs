using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

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
            -- ordering is the rowid: rows are never deleted, so it only grows (AUTOINCREMENT would cost a write per row).
            CREATE TABLE IF NOT EXISTS journal (
                ordering INTEGER PRIMARY KEY,
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
            AppendRaw(_writer.Handle!, entries);
        }
        catch (SqliteException e) when (e.SqliteErrorCode != 19)
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

    /// <summary>
    /// The hot path, on SQLite's own API: one prepared statement, parameters bound by position. The ADO.NET layer
    /// costs several microseconds a row (binding by name), which capped group commit at about 130k rows/s.
    /// </summary>
    private void AppendRaw(sqlite3 db, IReadOnlyList<JournalEntry> entries)
    {
        if (_insert is null)
            Check(db, raw.sqlite3_prepare_v2(db,
                "INSERT INTO journal (persistence_id, sequence_nr, event_type, event_version, payload, timestamp, writer_id) VALUES (?1,?2,?3,?4,?5,?6,?7)",
                out _insert));
        Check(db, raw.sqlite3_exec(db, "BEGIN IMMEDIATE"));
        try
        {
            foreach (var e in entries)
            {
                raw.sqlite3_bind_text(_insert, 1, e.PersistenceId);
                raw.sqlite3_bind_int64(_insert, 2, e.SequenceNr);
                raw.sqlite3_bind_int(_insert, 3, e.EventType);
                raw.sqlite3_bind_int(_insert, 4, e.EventVersion);
                raw.sqlite3_bind_blob(_insert, 5, e.Payload);
                raw.sqlite3_bind_int64(_insert, 6, e.Timestamp);
                raw.sqlite3_bind_text(_insert, 7, e.WriterId);
                var rc = raw.sqlite3_step(_insert);
                raw.sqlite3_reset(_insert);
                if ((rc & 0xFF) == raw.SQLITE_CONSTRAINT)
                    throw new JournalConflictException($"journal already holds {e.PersistenceId}#{e.SequenceNr}");
                if (rc != raw.SQLITE_DONE) Check(db, rc);
            }
            Check(db, raw.sqlite3_exec(db, "COMMIT"));
        }
        catch
        {
            raw.sqlite3_exec(db, "ROLLBACK");
            throw;
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE) throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
    }

    private sqlite3_stmt? _insert;

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
        _insert?.Dispose();
        _insert = null;
        if (_writer is null) return;
        await _writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellation)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(cancellation).ConfigureAwait(false);
        // A 64 MiB page cache keeps the hot index pages in memory; fewer, larger WAL checkpoints cost less per row.
        await ExecuteAsync(c, $"PRAGMA synchronous={_options.Synchronous}; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;",
            cancellation).ConfigureAwait(false);
        return c;
    }

    private static async Task ExecuteAsync(SqliteConnection c, string sql, CancellationToken cancellation)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }
}
