using System.Collections.Concurrent;
using System.Diagnostics;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// Runs the cluster singletons this node holds. Driven by the <see cref="ShardCoordinator"/>: its lease keeper
/// renews the held leases (stops an instance whose lease is lost or can no longer be proven by this node's clock),
/// its planning tick takes the free ones; all are handed over on leave. At most one instance of a name runs anywhere: the lease row says which.
/// </summary>
public sealed class SingletonHost(IReadOnlyList<ClusterSingleton> singletons, PostgresSingletonLeases leases, string nodeId, TimeSpan ttl,
    ILogger log) : IAsyncDisposable
{
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(200);
    private readonly ActorSystem _system = new();
    private readonly ConcurrentDictionary<string, (long Epoch, long Deadline, ActorRef Actor)> _running = new(StringComparer.Ordinal);

    /// <summary>The singletons running here, by name.</summary>
    public IReadOnlyDictionary<string, ActorRef> Running => _running.ToDictionary(kv => kv.Key, kv => kv.Value.Actor);

    /// <summary>Lease keeper thread: stops the instances whose lease this node can no longer prove by its clock.</summary>
    public void DropOverdue()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (name, held) in _running)
            if (now > held.Deadline) _ = StopAsync(name, "lease could not be renewed in time");
    }

    /// <summary>Lease keeper thread: renews the held leases on the presence session; stops the lost ones.</summary>
    public void Renew(PostgresPresence presence)
    {
        var renewing = _running.Select(kv => (kv.Key, kv.Value.Epoch)).ToArray();
        var asked = Stopwatch.GetTimestamp();
        var lost = presence.RenewSingletons(nodeId, renewing, ttl);
        foreach (var (name, epoch) in renewing)
        {
            if (lost.Contains(name)) _ = StopAsync(name, "lease lost");
            else if (_running.TryGetValue(name, out var h) && h.Epoch == epoch) _running.TryUpdate(name, h with { Deadline = asked + Ticks(ttl - Margin) }, h);
        }
    }

    /// <summary>Stops every instance here without releasing anything (the leases may be someone else's by now).</summary>
    public void DropAll(string reason)
    {
        foreach (var name in _running.Keys) _ = StopAsync(name, reason);
    }

    /// <summary>Frees the leases of this node id's previous incarnation.</summary>
    public Task ReleaseAllAsync(CancellationToken cancellation) => leases.ReleaseAllAsync(nodeId, cancellation);

    /// <summary>Planning tick: takes the free singletons (none while leaving).</summary>
    public async Task TickAsync(bool leaving, CancellationToken cancellation)
    {
        if (leaving) return;
        foreach (var singleton in singletons.Where(s => !_running.ContainsKey(s.Name)))
        {
            var started = Stopwatch.GetTimestamp();
            if (await leases.TryAcquireAsync(singleton.Name, nodeId, ttl, cancellation) is not { } epoch) continue;
            var token = new SingletonToken(singleton.Name, epoch, nodeId);
            var actor = _system.Spawn($"singleton-{singleton.Name}-{epoch}", () => singleton.Factory(token));
            _running[singleton.Name] = (epoch, started + Ticks(ttl - Margin), actor);
            log.LogInformation("singleton {Name} (epoch {Epoch}) runs here", singleton.Name, epoch);
        }
    }

    /// <summary>Stops every singleton here and releases its lease, so another node takes it at once.</summary>
    public async Task HandOverAllAsync()
    {
        foreach (var name in _running.Keys.ToArray())
            if (_running.TryRemove(name, out var held))
            {
                await _system.StopActorAsync(held.Actor.Name);
                await leases.ReleaseAsync(name, nodeId, held.Epoch);
            }
    }

    private async Task StopAsync(string name, string reason)
    {
        if (!_running.TryRemove(name, out var held)) return;
        log.LogWarning("singleton {Name} (epoch {Epoch}): {Reason}; stopped here", name, held.Epoch, reason);
        await _system.StopActorAsync(held.Actor.Name);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public ValueTask DisposeAsync() => _system.DisposeAsync();
}
