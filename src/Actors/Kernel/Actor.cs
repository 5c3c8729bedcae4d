namespace AkkaExchange.Actors.Kernel;

/// <summary>
/// An actor: its mailbox delivers one message at a time, so its state needs no locks. When it throws, its
/// supervisor discards the instance (after <see cref="Crashed"/>), builds a new one from the factory and starts
/// it again (<see cref="StartAsync"/> is where a persistent actor recovers from its journal).
/// </summary>
public abstract class Actor
{
    /// <summary>This actor's own reference (set before <see cref="StartAsync"/>): for messages it sends itself, such as timer ticks.</summary>
    protected internal ActorRef Self { get; internal set; } = null!;

    /// <summary>Runs before the first message and after every restart.</summary>
    protected internal virtual Task StartAsync(CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>Handles one message.</summary>
    protected internal abstract ValueTask ReceiveAsync(Envelope envelope);

    /// <summary>
    /// Runs when the mailbox has no message ready (or after a full batch): the place to flush work batched
    /// over several messages.
    /// </summary>
    protected internal virtual ValueTask IdleAsync() => ValueTask.CompletedTask;

    /// <summary>Runs once on a graceful stop, after the mailbox was drained and <see cref="IdleAsync"/> ran.</summary>
    protected internal virtual Task StopAsync() => Task.CompletedTask;

    /// <summary>This instance threw and is being discarded: fail whatever replies it still owes.</summary>
    protected internal virtual void Crashed(Exception reason) { }
}
