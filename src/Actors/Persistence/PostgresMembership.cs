using Npgsql;

namespace AkkaExchange.Actors.Persistence;

/// <summary>The cluster's membership table: each node upserts its row with a heartbeat; a node whose heartbeat is old is dead.</summary>
public sealed class PostgresMembership : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresMembership(PostgresJournalOptions options) => _source = PostgresLeaseSql.Open(options);

    /// <summary>
    /// Registers or refreshes this node (status "up", or "leaving" during a graceful leave) with the key of its
    /// presence lock (<see cref="PostgresPresence.Key"/>).
    /// </summary>
    public async Task HeartbeatAsync(string nodeId, string httpAddress, string transportAddress, DateTimeOffset startedAt, string status,
        int presenceKey, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand("""
            INSERT INTO members (node_id, http_address, transport_address, started_at, status, heartbeat_at, presence_key)
            VALUES ($1, $2, $3, $4, $5, now(), $6)
            ON CONFLICT (node_id) DO UPDATE SET http_address = EXCLUDED.http_address, transport_address = EXCLUDED.transport_address,
                started_at = EXCLUDED.started_at, status = EXCLUDED.status, heartbeat_at = now(),
                presence_key = EXCLUDED.presence_key
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = nodeId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = httpAddress });
        cmd.Parameters.Add(new NpgsqlParameter { Value = transportAddress });
        cmd.Parameters.Add(new NpgsqlParameter { Value = startedAt });
        cmd.Parameters.Add(new NpgsqlParameter { Value = status });
        cmd.Parameters.Add(new NpgsqlParameter { Value = presenceKey == 0 ? DBNull.Value : presenceKey });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Removes a node's row (graceful leave done, or an operator downing a dead node).</summary>
    public async Task RemoveAsync(string nodeId, CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand("DELETE FROM members WHERE node_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = nodeId });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MemberRecord>> ReadAllAsync(CancellationToken cancellation = default)
    {
        await using var cmd = _source.CreateCommand(
            $"""
            SELECT node_id, http_address, transport_address, started_at, status, heartbeat_at, now() - heartbeat_at, {PostgresLeaseSql.PresentSql("m0.node_id")}
            FROM members m0 ORDER BY node_id
            """);
        var list = new List<MemberRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await r.ReadAsync(cancellation).ConfigureAwait(false))
            list.Add(new MemberRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetString(4),
                r.GetFieldValue<DateTimeOffset>(5), r.GetTimeSpan(6), r.GetBoolean(7)));
        return list;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
