namespace AkkaExchange.Actors.Kernel;

/// <summary>How an actor's supervisor reacts to failures.</summary>
/// <param name="MaxAttemptsPerMessage">Deliveries of one message (each after a restart) before it is rejected.</param>
/// <param name="MinRestartDelay">First delay before retrying a failed start; doubles up to <paramref name="MaxRestartDelay"/>.</param>
public sealed record SupervisorStrategy(int MaxAttemptsPerMessage, TimeSpan MinRestartDelay, TimeSpan MaxRestartDelay)
{
    public static SupervisorStrategy Default { get; } = new(3, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));
}
