using Npgsql;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// Leases of cluster singletons, one row per name, with the same rules as shard leases: acquiring is one
/// conditional UPDATE that raises the epoch (after the row is ensured); renewal needs the same owner and epoch; the database clock decides.
/// A singleton's own transactions prove ownership with <see cref="HoldsSql"/>, as journal commits do for shards.
/// </summary>
public sealed class PostgresSingletonLeases : IAsyncDisposable
{
    /// <summary>
    /// A condition for a singleton's own transactions (parameters @singleton_name, @singleton_owner,
    /// @singleton_epoch): true while the lease is still held; it locks the row <c>FOR KEY SHARE</c> until the
    /// transaction ends, so a takeover waits for it while renewals do not.
    /// </summary>
    public const string HoldsSql =
        "SELECT 1 FROM singleton_leases WHERE name = @singleton_name AND owner = @singleton_owner AND epoch = @singleton_epoch AND lease_until > clock_timestamp() FOR KEY SHARE";

    private readonly NpgsqlDataSource _source;

    public PostgresSingletonLeases(PostgresJournalOptions options) => _source = PostgresLeaseSql.Open(options);

    /// <summary>Takes the singleton if nobody holds it (or its lease ran out, or its owner's session is gone); returns the new epoch, else null.</summary>
    public async Task<long?> TryAcquireAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellation = default)
    {
        await using (var cmd = _source.CreateCommand("INSERT INTO singleton_leases (name) VALUES ($1) ON CONFLICT (name) DO NOTHING"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = name });
            await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }
        return await PostgresLeaseSql.TryAcquireAsync(_source, "singleton_leases", "name", name, owner, ttl, cancellation).ConfigureAwait(false);
    }

    /// <summary>Frees the leases of this node id's previous incarnation.</summary>
    public Task ReleaseAllAsync(string owner, CancellationToken cancellation = default) =>
        PostgresLeaseSql.ReleaseAllAsync(_source, "singleton_leases", owner, cancellation);

    public Task ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellation = default) =>
        PostgresLeaseSql.ReleaseAsync(_source, "singleton_leases", "name", name, owner, epoch, cancellation);

    /// <summary>The whole singleton table, by name.</summary>
    public Task<IReadOnlyList<SingletonLease>> ReadAllAsync(CancellationToken cancellation = default) =>
        PostgresLeaseSql.ReadAllAsync(_source, "singleton_leases", "name",
            (r, owner) => new SingletonLease(r.GetString(0), owner, r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3), r.GetBoolean(4)), cancellation);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
