using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using Npgsql;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// The downing trigger fed by the PostgreSQL presence sessions: every node writes its cluster address with its
/// presence key (<see cref="LeaseKeeper"/>) and, every renewal interval, downs every member whose presence lock is
/// gone — its process is dead (killed, crashed, its pod deleted), not merely slow, so there is nothing to wait for.
/// A frozen or cut-off node keeps its session and is left to the split brain resolver.
/// </summary>
public sealed class PresenceDowning : ReceiveActor, IWithTimers
{
    private sealed record Check : INoSerializationVerificationNeeded
    {
        public static Check Instance { get; } = new();
    }

    public const string CreateTable = """
        CREATE TABLE IF NOT EXISTS akka_presence (
            address TEXT NOT NULL, uid BIGINT NOT NULL, presence_key INT NOT NULL, node_id TEXT NOT NULL,
            started_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (address, uid));
        """;

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IRemoteActorRefProvider _remote = (IRemoteActorRefProvider)((ExtendedActorSystem)Context.System).Provider;
    private readonly NpgsqlDataSource _source;

    public PresenceDowning(string nodeId, TimeSpan interval, Func<bool> active)
    {
        var keeper = LeaseKeeper.Get(Context.System);
        _source = keeper.Source;
        var self = _cluster.SelfUniqueAddress;
        var recorded = false;
        ReceiveAsync<Check>(async _ =>
        {
            // A standby region's database is a replica: nothing to record, and its presence rows are the primary's.
            if (!active()) return;
            try
            {
                if (!recorded)
                {
                    await Execute("""
                        INSERT INTO akka_presence (address, uid, presence_key, node_id) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (address, uid) DO UPDATE SET presence_key = excluded.presence_key
                        """, self.Address.ToString(), (long)self.Uid, keeper.PresenceKey, nodeId);
                    recorded = true;
                }
                await DownDeadMembersAsync();
            }
            catch (Exception e)
            {
                _log.Warning("presence {0} failed: {1}", recorded ? "check" : "record", e.Message);
            }
        });
        Self.Tell(Check.Instance);
        Timers.StartPeriodicTimer(nameof(Check), Check.Instance, interval);
    }

    /// <summary>Records this node's presence and downs dead members, while <paramref name="active"/> says the node's region is active.</summary>
    public static Props Props(string nodeId, TimeSpan interval, Func<bool> active) =>
        Akka.Actor.Props.Create(() => new PresenceDowning(nodeId, interval, active));

    public ITimerScheduler Timers { get; set; } = null!;

    private async Task DownDeadMembersAsync()
    {
        var dead = new HashSet<(string Address, long Uid)>();
        await using (var cmd = _source.CreateCommand($"SELECT address, uid FROM akka_presence p WHERE NOT {LeaseSql.PresentSql("p.presence_key")}"))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) dead.Add((r.GetString(0), r.GetInt64(1)));
        if (dead.Count == 0) return;
        var members = _cluster.State.Members;
        foreach (var member in members)
        {
            if (!dead.Contains((member.Address.ToString(), (long)member.UniqueAddress.Uid))) continue;
            if (member.Status is Akka.Cluster.MemberStatus.Down or Akka.Cluster.MemberStatus.Removed) continue;
            _log.Warning("downing {0}: its process is gone (its PostgreSQL presence session ended)", member.Address);
            _cluster.Down(member.Address);
            // Akka removes a downed member only once it is also unreachable, which the heartbeat failure detector
            // concludes seconds later. Quarantining this incarnation (address and uid: a restarted process is a new
            // one) marks it terminated at once, so its shards and singletons move on the next leader action.
            _remote.Quarantine(member.Address, member.UniqueAddress.Uid);
        }
        // Rows of processes that are gone and no longer members are history.
        var stale = dead.Where(d => !members.Any(m => m.Address.ToString() == d.Address && m.UniqueAddress.Uid == d.Uid)).ToArray();
        foreach (var (address, uid) in stale) await Execute("DELETE FROM akka_presence WHERE address = $1 AND uid = $2", address, uid);
    }

    private async Task Execute(string sql, params object[] values)
    {
        await using var cmd = _source.CreateCommand(sql);
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        await cmd.ExecuteNonQueryAsync();
    }
}
