namespace AkkaExchange.Actors.Persistence;

/// <summary>One row of the shard table: who owns a shard, under which epoch, until when (database clock).</summary>
public sealed record ShardLease(int ShardId, string? Owner, long Epoch, DateTimeOffset LeaseUntil);
