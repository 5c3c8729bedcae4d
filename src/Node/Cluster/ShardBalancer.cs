using AkkaExchange.Actors.Persistence;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// How shards spread over the live nodes, as a pure function of the shard table and the membership: each live
/// node's fair share is <c>shards / nodes</c>, the first <c>shards % nodes</c> nodes (by id) one more. A node below
/// its share takes free shards (no owner, or a lease run out); a node above it hands shards over only while some
/// live node is below its share, so a stable cluster does not churn. A shard whose lease ran out while it had an
/// owner is orphaned (its node died or froze): every node takes orphans at once, beyond its share — availability
/// first, the surplus is handed back later. Which shards a node prefers is rendezvous hashing of (node, shard):
/// stable, and different per node, so nodes rarely race for the same shard.
/// </summary>
public static class ShardBalancer
{
    public static ShardPlan Plan(string self, IReadOnlyList<ShardLease> leases, IReadOnlyCollection<string> liveNodes)
    {
        var live = liveNodes.Append(self).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var share = live.Select((n, i) => (Node: n, Target: leases.Count / live.Length + (i < leases.Count % live.Length ? 1 : 0)))
            .ToDictionary(x => x.Node, x => x.Target, StringComparer.Ordinal);
        var held = leases.Where(l => !l.IsFree).GroupBy(l => l.Owner!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var mine = leases.Where(l => !l.IsFree && l.Owner == self).Select(l => l.ShardId).ToArray();
        var target = share[self];
        var orphans = leases.Where(l => l.Owner is not null && l.Expired).Select(l => l.ShardId).ToArray();
        var unowned = leases.Where(l => l.Owner is null).Select(l => l.ShardId).OrderByDescending(s => Preference(self, s))
            .Take(Math.Max(0, target - mine.Length - orphans.Length)).ToArray();
        if (orphans.Length > 0 || unowned.Length > 0)
            return new ShardPlan(orphans.OrderByDescending(s => Preference(self, s)).Concat(unowned).ToArray(), []);
        var someoneShort = live.Any(n => n != self && held.GetValueOrDefault(n) < share[n]);
        if (mine.Length > target && someoneShort)
            return new ShardPlan([], mine.OrderBy(s => Preference(self, s)).Take(mine.Length - target).ToArray());
        return new ShardPlan([], []);
    }

    /// <summary>Rendezvous weight of a (node, shard) pair: FNV-1a over both, stable everywhere.</summary>
    public static uint Preference(string node, int shard)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes($"{node}/{shard}"))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return hash;
    }
}
