namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// One row of the shard table: who owns a shard, under which epoch, until when (database clock), and whether that
/// time has passed by the database's clock when the row was read.
/// </summary>
public sealed record ShardLease(int ShardId, string? Owner, long Epoch, DateTimeOffset LeaseUntil, bool Expired = false)
{
    /// <summary>True when anyone may take the shard now.</summary>
    public bool IsFree => Owner is null || Expired;
}
