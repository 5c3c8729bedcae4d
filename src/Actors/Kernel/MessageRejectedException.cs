namespace AkkaExchange.Actors.Kernel;

/// <summary>A message kept failing its actor and was given up on; the actor goes on with the next one.</summary>
public sealed class MessageRejectedException(string message, Exception? inner = null) : Exception(message, inner);
