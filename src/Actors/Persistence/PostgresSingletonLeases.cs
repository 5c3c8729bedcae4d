using Npgsql;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// Leases of cluster singletons, one row per name, with the same rules as shard leases: acquiring is one
/// conditional UPDATE that raises the epoch; renewal needs the same owner and epoch; the database clock decides.
/// A singleton's own transactions prove ownership with <see cref="HoldsSql"/>, as journal commits do for shards.
/// </summary>
public sealed class PostgresSingletonLeases : IAsyncDisposable
{
    /// <summary>
    /// A condition for a singleton's own transactions (parameters @singleton_name, @singleton_owner,
    /// @singleton_epoch): true while the lease is still held; use with <c>FOR SHARE</c> in the same transaction.
    /// </summary>
    public const string HoldsSql =
        "SELECT 1 FROM singleton_leases WHERE name = @singleton_name AND owner = @singleton_owner AND epoch = @singleton_epoch AND lease_until > clock_timestamp() FOR SHARE";

    private readonly NpgsqlDataSource _source;

    public PostgresSingletonLeases(PostgresJournalOptions options) => _source = PostgresLeaseSql.Open(options);

    /// <summary>Takes the singleton if nobody holds it (or its lease ran out); returns the new epoch, else null.</summary>
    public async Task<long?> TryAcquireAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand("""
            INSERT INTO singleton_leases (name, owner, epoch, lease_until) VALUES ($1, $2, 1, now() + $3)
            ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, epoch = singleton_leases.epoch + 1, lease_until = EXCLUDED.lease_until
            WHERE singleton_leases.owner IS NULL OR singleton_leases.lease_until < now()
            RETURNING epoch
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ttl });
        return await cmd.ExecuteScalarAsync(cancellation).ConfigureAwait(false) is long epoch ? epoch : null;
    }

    /// <summary>Extends the leases still held under these epochs; returns the names whose renewal failed (lost).</summary>
    public Task<IReadOnlyList<string>> RenewAsync(string owner, IReadOnlyCollection<(string Name, long Epoch)> held, TimeSpan ttl,
        CancellationToken cancellation = default) =>
        PostgresLeaseSql.RenewAsync(_source, "singleton_leases", "name", "text", owner, held, ttl, cancellation);

    public Task ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellation = default) =>
        PostgresLeaseSql.ReleaseAsync(_source, "singleton_leases", "name", name, owner, epoch, cancellation);

    public async Task<IReadOnlyList<SingletonLease>> ReadAllAsync(CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand("SELECT name, owner, epoch, lease_until, lease_until < now() FROM singleton_leases ORDER BY name");
        var list = new List<SingletonLease>();
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            list.Add(new SingletonLease(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3), r.GetBoolean(4)));
        return list;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
