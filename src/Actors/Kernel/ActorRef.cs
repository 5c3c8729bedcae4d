namespace AkkaExchange.Actors.Kernel;

/// <summary>The address of an actor: the only way to reach it.</summary>
public sealed class ActorRef
{
    private readonly ActorCell _cell;

    internal ActorRef(ActorCell cell) => _cell = cell;

    public string Name => _cell.Name;

    /// <summary>Completes when the actor has started (for a persistent actor: recovered) the first time.</summary>
    public Task Started => _cell.Started;

    /// <summary>Fire and forget; false when the actor is stopping.</summary>
    public bool Tell(object message) => _cell.Post(new Envelope(message, null));

    /// <summary>
    /// Sends a message and awaits its reply. Throws <see cref="AskTimeoutException"/> when none comes in time,
    /// <see cref="ActorUnavailableException"/> when the actor is stopping or lost the reply in a restart, and
    /// <see cref="MessageRejectedException"/> when the message kept failing the actor.
    /// </summary>
    public async Task<T> Ask<T>(object message, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_cell.Post(new Envelope(message, reply)))
            throw new ActorUnavailableException($"actor {Name} is stopping");
        object? result;
        try
        {
            result = await reply.Task.WaitAsync(timeout, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new AskTimeoutException($"no reply from {Name} within {timeout.TotalMilliseconds:F0} ms");
        }
        return result is T typed ? typed : result is null ? default! : throw new InvalidCastException(
            $"{Name} replied {result.GetType().Name}, expected {typeof(T).Name}");
    }

    public override string ToString() => Name;
}
