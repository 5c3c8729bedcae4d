namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// Proof of ownership carried by a write: <paramref name="Owner"/> holds shard <paramref name="ShardId"/> under
/// lease epoch <paramref name="Epoch"/>. A fenced journal commits the write only if that is still true at commit.
/// </summary>
public readonly record struct FenceToken(int ShardId, long Epoch, string Owner);
