namespace AkkaExchange.Node.Hosting;

/// <summary>Another process holds the node's data directory (<see cref="DataDirectoryLock"/>).</summary>
public sealed class DataDirectoryInUseException(string message) : Exception(message);
