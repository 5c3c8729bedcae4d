namespace AkkaExchange.Actors.Kernel;

/// <summary>No reply came within the ask's timeout. The message may still be processed later.</summary>
public sealed class AskTimeoutException(string message) : TimeoutException(message);
