using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AkkaExchange.Actors.Kernel;

/// <summary>
/// The runtime of one actor: its mailbox, its current instance and its supervision. One loop per actor
/// delivers messages in order, one at a time, and calls <see cref="Actor.IdleAsync"/> when the mailbox runs dry.
/// </summary>
internal sealed class ActorCell
{
    private const int MaxBatch = 4_096;
    private readonly Channel<Envelope> _mailbox = Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions
    {
        SingleReader = true,
        AllowSynchronousContinuations = false,
    });
    private readonly Func<Actor> _factory;
    private readonly SupervisorStrategy _strategy;
    private readonly ILogger _log;
    private readonly CancellationToken _systemStopping;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Actor? _actor;

    public ActorCell(string name, Func<Actor> factory, SupervisorStrategy strategy, ILogger log, CancellationToken systemStopping)
    {
        Name = name;
        _factory = factory;
        _strategy = strategy;
        _log = log;
        _systemStopping = systemStopping;
        Self = new ActorRef(this);
    }

    public string Name { get; }
    public ActorRef Self { get; }
    public Task Started => _started.Task;
    public long Restarts { get; private set; }
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Run() => Completion = Task.Run(RunAsync);

    public bool Post(Envelope envelope) => _mailbox.Writer.TryWrite(envelope);

    /// <summary>Stops accepting messages; the loop drains what is queued, flushes and stops.</summary>
    public void Complete() => _mailbox.Writer.TryComplete();

    private async Task RunAsync()
    {
        try
        {
            await RunMailboxAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_systemStopping.IsCancellationRequested)
        {
            // Stopped while (re)starting: nothing can be processed any more; say so to whoever waits.
            _started.TrySetCanceled();
            while (_mailbox.Reader.TryRead(out var envelope))
                envelope.Fail(new ActorUnavailableException($"actor {Name} stopped before it could start"));
        }
    }

    private async Task RunMailboxAsync()
    {
        await StartInstanceAsync().ConfigureAwait(false);
        _started.TrySetResult();
        var reader = _mailbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            for (var n = 0; n < MaxBatch && reader.TryRead(out var envelope); n++)
                await DeliverAsync(envelope).ConfigureAwait(false);
            await IdleAsync().ConfigureAwait(false);
        }
        try
        {
            await _actor!.StopAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.LogError(e, "actor {Actor} failed while stopping", Name);
        }
    }

    private async Task DeliverAsync(Envelope envelope)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _actor!.ReceiveAsync(envelope).ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                await RestartAsync(e).ConfigureAwait(false);
                if (attempt >= _strategy.MaxAttemptsPerMessage)
                {
                    _log.LogError(e, "actor {Actor} rejected {Message} after {Attempts} attempts", Name, envelope.Message.GetType().Name, attempt);
                    envelope.Fail(new MessageRejectedException(
                        $"{envelope.Message.GetType().Name} failed {attempt} times in {Name}: {e.Message}", e));
                    return;
                }
            }
        }
    }

    private async Task IdleAsync()
    {
        try
        {
            await _actor!.IdleAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await RestartAsync(e).ConfigureAwait(false);
        }
    }

    private async Task RestartAsync(Exception reason)
    {
        Restarts++;
        _log.LogWarning(reason, "actor {Actor} failed; restarting it ({Restarts})", Name, Restarts);
        try
        {
            _actor?.Crashed(reason);
        }
        catch (Exception e)
        {
            _log.LogError(e, "actor {Actor} failed in Crashed", Name);
        }
        await StartInstanceAsync().ConfigureAwait(false);
    }

    /// <summary>Builds and starts a fresh instance, retrying with backoff until it starts or the system stops.</summary>
    private async Task StartInstanceAsync()
    {
        var delay = _strategy.MinRestartDelay;
        while (true)
        {
            try
            {
                var actor = _factory();
                actor.Self = Self;
                await actor.StartAsync(_systemStopping).ConfigureAwait(false);
                _actor = actor;
                return;
            }
            catch (Exception e)
            {
                if (_systemStopping.IsCancellationRequested)
                    throw new OperationCanceledException($"actor {Name} stopped while starting", e, _systemStopping);
                _log.LogWarning("actor {Actor} could not start ({Error}); retrying in {Delay} ms", Name, e.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, _systemStopping).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _strategy.MaxRestartDelay.Ticks));
            }
        }
    }
}
