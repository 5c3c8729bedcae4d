using System.Collections.Concurrent;
using System.Diagnostics;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Node.Options;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// A node's part in the cluster. A dedicated thread, the lease keeper, every <see cref="ExchangeOptions.RenewInterval"/>:
/// <list type="number">
/// <item>Stop serving every shard (and singleton) whose lease this node can no longer prove by its own clock (last
/// successful renewal + TTL − margin). A node woken from SIGSTOP does this before anything else; the fence at
/// commit refuses its writes regardless.</item>
/// <item>Renew the held leases on the presence session (<see cref="PostgresPresence"/>), synchronously, so a busy
/// thread pool or connection pool never delays a renewal; stop what was lost. When the presence session itself
/// fails, others may take every lease at once: stop serving everything and open a new session.</item>
/// </list>
/// And the planning loop, one tick every <see cref="ExchangeOptions.RenewInterval"/>:
/// <list type="number">
/// <item>Heartbeat (with the presence key); tick the cluster singletons (<see cref="SingletonHost"/>).</item>
/// <item>Read the shard table and membership, plan (<see cref="ShardBalancer"/>), take free shards (recovery runs
/// in the background while ticks go on) and hand surplus shards over (drain, commit, release).</item>
/// </list>
/// </summary>
public sealed class ShardCoordinator(ExchangeOptions options, LocalExchange exchange, PostgresShardLeases leases, PostgresMembership members,
    PostgresPresence presence, string advertiseUrl, string transportAddress, SingletonHost singletons, ILogger<ShardCoordinator> log) : IAsyncDisposable
{
    private volatile IReadOnlyDictionary<int, (string Owner, string Transport)> _routes = new Dictionary<int, (string, string)>();
    private sealed class Held(long epoch, long deadline)
    {
        private long _deadline = deadline;
        public long Epoch { get; } = epoch;

        /// <summary>Until when this node can prove the lease (Stopwatch ticks); written by the lease keeper.</summary>
        public long Deadline
        {
            get => Volatile.Read(ref _deadline);
            set => Volatile.Write(ref _deadline, value);
        }
    }

    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<int, Held> _held = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private Task _loop = Task.CompletedTask;
    private Thread? _keeper;
    private volatile bool _leaving;

    public string NodeId => options.NodeId;

    /// <summary>
    /// Who serves a shard, as of the last tick: a live owner and its transport address. A route can be stale for a
    /// tick; the forwarded request then fails with 503 and the caller asks again.
    /// </summary>
    public bool TryRoute(int shard, out string owner, out string transport)
    {
        if (_routes.TryGetValue(shard, out var route))
        {
            (owner, transport) = route;
            return true;
        }
        (owner, transport) = ("", "");
        return false;
    }

    public async Task StartAsync(CancellationToken cancellation)
    {
        await leases.EnsureShardsAsync(options.Shards, cancellation);
        presence.Open();
        // Whatever this node id held before (a previous incarnation, killed) is not held by this process.
        await leases.ReleaseAllAsync(NodeId, cancellation);
        await singletons.ReleaseAllAsync(cancellation);
        await members.HeartbeatAsync(NodeId, advertiseUrl, transportAddress, _startedAt, "up", presence.Key, cancellation);
        _keeper = new Thread(KeepLeases) { IsBackground = true, Name = "lease-keeper" };
        _keeper.Start();
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>The lease keeper's loop (see the class summary); it owns the presence session.</summary>
    private void KeepLeases()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var (shard, held) in _held)
                    if (now > held.Deadline) _ = DropAsync(shard, held.Epoch, "lease could not be renewed in time");
                singletons.DropOverdue();
                if (presence.Key == 0) presence.Open();
                RenewShards();
                singletons.Renew(presence);
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                log.LogWarning("presence session failed ({Error}); stopping every shard and singleton here", e.Message);
                presence.Close();
                foreach (var (shard, held) in _held) _ = DropAsync(shard, held.Epoch, "presence session lost");
                singletons.DropAll("presence session lost");
            }
            catch (Exception)
            {
                return;
            }
            _stopping.Token.WaitHandle.WaitOne(options.RenewInterval);
        }
    }

    private void RenewShards()
    {
        var renewing = _held.Select(kv => (kv.Key, kv.Value.Epoch)).ToArray();
        var asked = Stopwatch.GetTimestamp();
        var lost = presence.RenewShards(NodeId, renewing, options.LeaseTtl);
        var deadline = asked + Ticks(options.LeaseTtl - Margin);
        foreach (var (shard, epoch) in renewing)
        {
            if (lost.Contains(shard)) _ = DropAsync(shard, epoch, "lease lost");
            else if (_held.TryGetValue(shard, out var h) && h.Epoch == epoch) h.Deadline = deadline;
        }
    }

    private async Task LoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await TickAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("cluster tick failed: {Error}", e.Message);
            }
            try
            {
                await Task.Delay(options.RenewInterval, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task TickAsync(CancellationToken cancellation)
    {
        await members.HeartbeatAsync(NodeId, advertiseUrl, transportAddress, _startedAt, _leaving ? "leaving" : "up", presence.Key, cancellation);
        await singletons.TickAsync(_leaving, cancellation);
        if (_leaving) return;

        var table = await leases.ReadAllAsync(cancellation);
        var memberRows = await members.ReadAllAsync(cancellation);
        var transports = memberRows.Where(m => m.Present && m.HeartbeatAge < options.LeaseTtl).ToDictionary(m => m.NodeId, m => m.TransportAddress, StringComparer.Ordinal);
        _routes = table.Where(l => !l.IsFree && transports.ContainsKey(l.Owner!))
            .ToDictionary(l => l.ShardId, l => (l.Owner!, transports[l.Owner!]));
        var live = memberRows.Where(m => m.Status == "up" && m.Present && m.HeartbeatAge < options.LeaseTtl).Select(m => m.NodeId).ToArray();
        var plan = ShardBalancer.Plan(NodeId, table, live);
        foreach (var shard in plan.Acquire)
        {
            var started = Stopwatch.GetTimestamp();
            if (await leases.TryAcquireAsync(shard, NodeId, options.LeaseTtl, cancellation) is not { } epoch) continue;
            _held[shard] = new Held(epoch, started + Ticks(options.LeaseTtl - Margin));
            _ = ServeAsync(shard, epoch);
        }
        foreach (var shard in plan.Release) await HandOverAsync(shard);
    }

    private async Task ServeAsync(int shard, long epoch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await exchange.StartShardAsync(shard, new FenceToken(shard, epoch, NodeId), OnLeaseLost, _stopping.Token);
            if (!_held.TryGetValue(shard, out var h) || h.Epoch != epoch)
            {
                // The lease went while the shard recovered: do not serve it.
                await exchange.StopShardAsync(shard);
                return;
            }
            log.LogInformation("shard {Shard} (epoch {Epoch}) serving after {Ms} ms of recovery", shard, epoch, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            log.LogWarning("shard {Shard} could not start: {Error}; releasing it", shard, e.Message);
            await DropAsync(shard, epoch, "start failed");
            await leases.ReleaseAsync(shard, NodeId, epoch);
        }
    }

    private void OnLeaseLost(FenceToken fence) => _ = DropAsync(fence.ShardId, fence.Epoch, "a commit found the lease gone");

    /// <summary>Stops serving a shard this node can no longer prove it owns. Nothing is released: it is not ours.</summary>
    private async Task DropAsync(int shard, long epoch, string reason)
    {
        if (!_held.TryGetValue(shard, out var h) || h.Epoch != epoch || !_held.TryRemove(new KeyValuePair<int, Held>(shard, h))) return;
        log.LogWarning("shard {Shard} (epoch {Epoch}): {Reason}; stopped serving it", shard, epoch, reason);
        await exchange.StopShardAsync(shard);
    }

    /// <summary>Graceful hand-over: stop taking requests for the shard, commit what is queued, then release the lease.</summary>
    private async Task HandOverAsync(int shard)
    {
        if (!_held.TryRemove(shard, out var h)) return;
        await exchange.StopShardAsync(shard);
        await leases.ReleaseAsync(shard, NodeId, h.Epoch);
        log.LogInformation("shard {Shard} (epoch {Epoch}) handed over", shard, h.Epoch);
    }

    /// <summary>Graceful leave (SIGTERM, or the admin API): hand every shard over, then deregister.</summary>
    public async Task LeaveAsync()
    {
        if (_leaving) return;
        _leaving = true;
        await singletons.HandOverAllAsync();
        foreach (var shard in _held.Keys.ToArray()) await HandOverAsync(shard);
        await _stopping.CancelAsync();
        await _loop;
        _keeper?.Join();
        await members.RemoveAsync(NodeId);
        presence.Close();
        log.LogInformation("left the cluster: every shard handed over");
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _keeper?.Join();
        presence.Dispose();
        _stopping.Dispose();
    }
}
