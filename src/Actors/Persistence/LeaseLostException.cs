namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// A fenced write was refused: the writer's lease on a shard expired or another node took the shard (a newer
/// epoch). Nothing of the batch was written; the writer must stop serving the shard.
/// </summary>
public sealed class LeaseLostException(string message) : Exception(message);
