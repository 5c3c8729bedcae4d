using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaExchange.Actors.Kernel;

/// <summary>
/// Hosts actors by name. <see cref="StopAsync"/> is the graceful shutdown: mailboxes stop taking messages,
/// every actor drains what it has, flushes (<see cref="Actor.IdleAsync"/>) and stops.
/// </summary>
/// <param name="drainGrace">How long <see cref="StopAsync"/> lets actors drain before it cancels those still starting (default 20 s).</param>
public sealed class ActorSystem(ILoggerFactory? loggers = null, TimeSpan? drainGrace = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ActorCell> _cells = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    /// <summary>Starts an actor; its first start (recovery) runs in the background — await <see cref="ActorRef.Started"/>.</summary>
    public ActorRef Spawn(string name, Func<Actor> factory, SupervisorStrategy? strategy = null)
    {
        if (_stopping.IsCancellationRequested) throw new InvalidOperationException("the actor system is stopping");
        var cell = new ActorCell(name, factory, strategy ?? SupervisorStrategy.Default, _loggers.CreateLogger("AkkaExchange.Actors." + name), _stopping.Token);
        if (!_cells.TryAdd(name, cell)) throw new InvalidOperationException($"an actor named {name} exists");
        cell.Run();
        return cell.Self;
    }

    /// <summary>Stops one actor gracefully (drain, flush, stop) and frees its name.</summary>
    public async Task StopActorAsync(string name)
    {
        if (!_cells.TryRemove(name, out var cell)) return;
        cell.Complete();
        await cell.Completion.ConfigureAwait(false);
    }

    public TimeSpan DrainGrace { get; } = drainGrace ?? TimeSpan.FromSeconds(20);

    public async Task StopAsync()
    {
        foreach (var cell in _cells.Values) cell.Complete();
        var all = Task.WhenAll(_cells.Values.Select(c => c.Completion));
        // An actor that cannot start (its journal unreachable) retries until cancelled: give the others time to
        // drain, then cancel, so that shutdown always ends.
        if (await Task.WhenAny(all, Task.Delay(DrainGrace)).ConfigureAwait(false) != all)
            await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await all.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
