namespace AkkaExchange.Actors.Domain;

/// <summary>An event does not fit the state it is applied to: the journal and the state disagree.</summary>
public sealed class InvalidEventException(string message) : Exception(message);
