namespace AkkaExchange.Actors.Kernel;

/// <summary>
/// The actor could not answer: it restarted (a reply it owed was lost with the instance) or it is stopping.
/// The request may be retried; idempotent requests make the retry safe.
/// </summary>
public sealed class ActorUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
