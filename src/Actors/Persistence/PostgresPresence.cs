using Npgsql;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// A node's own PostgreSQL session, held for as long as the process lives. It holds a session advisory lock
/// (<see cref="LockClass"/>, <see cref="Key"/>) whose key the node writes into its membership row: when the process
/// dies (kill -9, OOM, a deleted pod) the kernel closes its socket, the server ends the session and drops the lock,
/// and the other nodes may take its leases at once instead of waiting for them to run out (see
/// <see cref="PostgresLeaseSql.FreeSql"/>). A frozen process (SIGSTOP) keeps its session, so its leases run out as
/// before. It is also the connection leases are renewed on, synchronously, from one dedicated thread: a renewal
/// never queues behind the thread pool or a busy connection pool. Not thread-safe: one thread uses it.
/// </summary>
public sealed class PostgresPresence(PostgresJournalOptions options) : IDisposable
{
    /// <summary>The first key of every presence lock; the second is per process.</summary>
    public const int LockClass = 7342002;

    private NpgsqlConnection? _connection;
    private volatile int _key;

    /// <summary>This process's lock key while the session is open; 0 when it is not.</summary>
    public int Key => _key;

    /// <summary>Opens the session (when it is not open) and takes a fresh presence lock.</summary>
    public void Open()
    {
        if (_connection is { State: System.Data.ConnectionState.Open }) return;
        Close();
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            SearchPath = options.Schema,
            Pooling = false,
            // A host that vanishes without closing its socket keeps the session (and the lock) until the server's TCP
            // keepalives give up: ~20 s here instead of the kernel's hours. Its leases run out long before (3 s).
            Options = "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3",
            CommandTimeout = 5,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        var key = Random.Shared.Next(1, int.MaxValue);
        using (var cmd = new NpgsqlCommand("SELECT pg_advisory_lock($1, $2)", connection))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = LockClass });
            cmd.Parameters.Add(new NpgsqlParameter { Value = key });
            cmd.ExecuteNonQuery();
        }
        _connection = connection;
        _key = key;
    }

    /// <summary>Extends the shard leases still held under these epochs on this session; returns the shards whose renewal failed (lost).</summary>
    public IReadOnlyList<int> RenewShards(string owner, IReadOnlyCollection<(int Shard, long Epoch)> held, TimeSpan ttl) =>
        PostgresLeaseSql.Renew(Connection, "shard_leases", "shard_id", "int", owner, held, ttl);

    /// <summary>Renews singleton leases on this session.</summary>
    public IReadOnlyList<string> RenewSingletons(string owner, IReadOnlyCollection<(string Name, long Epoch)> held, TimeSpan ttl) =>
        PostgresLeaseSql.Renew(Connection, "singleton_leases", "name", "text", owner, held, ttl);

    private NpgsqlConnection Connection => _connection ?? throw new InvalidOperationException("the presence session is not open");

    /// <summary>Ends the session: the lock goes with it.</summary>
    public void Close()
    {
        _key = 0;
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose() => Close();
}
