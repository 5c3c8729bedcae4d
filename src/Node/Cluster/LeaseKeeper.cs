using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Npgsql;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// A node's side of the PostgreSQL leases (an Akka extension, <see cref="LeaseKeeperSetup"/>). It holds one
/// PostgreSQL session for the life of the process with a session advisory lock (<see cref="LeaseSql.PresenceLockClass"/>,
/// the presence key): when the process dies — kill -9, OOM, a deleted pod — the server ends the session and drops the
/// lock, and every lease held under that key is free for the others at once. It renews every lease this node holds,
/// in one statement, synchronously on that session from a dedicated thread, so a saturated thread pool or connection
/// pool never makes the node miss a renewal; a lease whose renewal fails is reported lost to its holder.
/// </summary>
public sealed class LeaseKeeper : IExtension, IDisposable
{
    private readonly LeaseKeeperSetup _setup;
    private readonly ILoggingAdapter _log;
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private NpgsqlConnection? _session;

    private sealed class Held(string owner, Action<Exception>? lost)
    {
        public string Owner { get; } = owner;
        public Action<Exception>? Lost { get; } = lost;
        public long Deadline;
    }

    public LeaseKeeper(ExtendedActorSystem system)
    {
        var setup = system.Settings.Setup.Get<LeaseKeeperSetup>();
        _setup = setup.HasValue ? setup.Value : throw new InvalidOperationException("PostgreSQL leases need a LeaseKeeperSetup in the actor system's setup");
        _log = Logging.GetLogger(system, nameof(LeaseKeeper));
        Source = NpgsqlDataSource.Create(ConnectionString(_setup.ConnectionString, _setup.Schema, null));
        OpenSession();
        _thread = new Thread(RenewLoop) { IsBackground = true, Name = "lease-keeper" };
        _thread.Start();
        system.RegisterOnTermination(Dispose);
    }

    public static LeaseKeeper Get(ActorSystem system) => system.WithExtension<LeaseKeeper, LeaseKeeperProvider>();

    /// <summary>Connections for acquiring, releasing and reading leases.</summary>
    public NpgsqlDataSource Source { get; }

    public int PresenceKey => _setup.PresenceKey;

    public TimeSpan Ttl => _setup.Ttl;

    /// <summary>False while the node's region is not active: no lease may be taken or kept.</summary>
    public bool MayHold => _setup.MayHold();

    /// <summary>A connection string on the schema, with extra session options.</summary>
    public static string ConnectionString(string connectionString, string schema, string? options) =>
        new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema, Options = options }.ConnectionString;

    /// <summary>Starts renewing a lease just acquired (renewal began at <paramref name="acquiredAt"/>, a <see cref="Stopwatch"/> timestamp).</summary>
    public void Hold(string name, string owner, Action<Exception>? lost, long acquiredAt) =>
        _held[name] = new Held(owner, lost) { Deadline = acquiredAt + Ticks(_setup.Ttl) };

    public void Forget(string name) => _held.TryRemove(name, out _);

    /// <summary>True while the lease is held and its last renewal, by this process's clock, has not run out.</summary>
    public bool IsHeld(string name) => _held.TryGetValue(name, out var h) && Stopwatch.GetTimestamp() < Volatile.Read(ref h.Deadline);

    private void OpenSession()
    {
        _session?.Dispose();
        // A host that vanishes without closing its socket keeps the session (and the lock) until the server's TCP
        // keepalives give up: ~20 s instead of the kernel's hours. Its leases run out long before that.
        var session = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString(_setup.ConnectionString, _setup.Schema,
            "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3")) { Pooling = false, CommandTimeout = 5 }.ConnectionString);
        session.Open();
        using (var cmd = new NpgsqlCommand("SELECT pg_advisory_lock($1, $2)", session))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = LeaseSql.PresenceLockClass });
            cmd.Parameters.Add(new NpgsqlParameter { Value = _setup.PresenceKey });
            cmd.ExecuteNonQuery();
        }
        _session = session;
    }

    private void RenewLoop()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (_session is not { State: System.Data.ConnectionState.Open }) OpenSession();
                RenewHeld(started);
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                // Not renewed: the leases run out by themselves unless the next round renews them in time.
                _log.Warning("lease renewal failed: {0}", e.Message);
                _session?.Dispose();
                _session = null;
            }
            var wait = _setup.RenewInterval - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero) _stopping.Token.WaitHandle.WaitOne(wait);
        }
    }

    private void RenewHeld(long started)
    {
        if (!MayHold)
        {
            // The region stopped being active (a rotation drains it, or it was fenced): its shards and singletons stop.
            foreach (var (name, held) in _held.ToArray())
            {
                if (!_held.TryRemove(new KeyValuePair<string, Held>(name, held))) continue;
                _log.Warning("lease {0} given up: this node's region is not active", name);
                held.Lost?.Invoke(new LeaseRevokedException(name));
            }
            return;
        }
        foreach (var group in _held.ToArray().GroupBy(h => h.Value.Owner))
        {
            var names = group.Select(h => h.Key).ToArray();
            var renewed = LeaseSql.Renew(_session!, names, group.Key, _setup.PresenceKey, _setup.Ttl);
            foreach (var (name, held) in group)
            {
                if (renewed.Contains(name))
                {
                    Volatile.Write(ref held.Deadline, started + Ticks(_setup.Ttl));
                    continue;
                }
                if (!_held.TryRemove(new KeyValuePair<string, Held>(name, held))) continue;
                _log.Warning("lease {0} lost: it ran out or another node holds it", name);
                held.Lost?.Invoke(new LeaseRevokedException(name));
            }
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(5));
        _session?.Dispose();
        Source.Dispose();
    }
}
