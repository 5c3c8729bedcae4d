using System.Collections.Concurrent;
using System.Diagnostics;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// Runs the cluster singletons this node holds. Driven by the <see cref="ShardCoordinator"/>'s tick: renew the held
/// leases (stop an instance whose lease is lost or can no longer be proven by this node's clock), take the free
/// ones, hand them all over on leave. At most one instance of a name runs anywhere: the lease row says which.
/// </summary>
public sealed class SingletonHost(IReadOnlyList<ClusterSingleton> singletons, PostgresSingletonLeases leases, string nodeId, TimeSpan ttl,
    ILogger log) : IAsyncDisposable
{
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(200);
    private readonly ActorSystem _system = new();
    private readonly ConcurrentDictionary<string, (long Epoch, long Deadline, ActorRef Actor)> _running = new(StringComparer.Ordinal);

    /// <summary>The singletons running here, by name.</summary>
    public IReadOnlyDictionary<string, ActorRef> Running => _running.ToDictionary(kv => kv.Key, kv => kv.Value.Actor);

    public async Task TickAsync(bool leaving, CancellationToken cancellation)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (name, held) in _running)
            if (now > held.Deadline) await StopAsync(name, "lease could not be renewed in time");
        var renewing = _running.Select(kv => (kv.Key, kv.Value.Epoch)).ToArray();
        var asked = Stopwatch.GetTimestamp();
        var lost = await leases.RenewAsync(nodeId, renewing, ttl, cancellation);
        foreach (var (name, epoch) in renewing)
        {
            if (lost.Contains(name)) await StopAsync(name, "lease lost");
            else if (_running.TryGetValue(name, out var h) && h.Epoch == epoch) _running[name] = h with { Deadline = asked + Ticks(ttl - Margin) };
        }
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
