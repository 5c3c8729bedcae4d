using Npgsql;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// Fences the symbols' journal in the database: a trigger on the journal table refuses a symbol's row unless the
/// writing session's node holds the lease of the symbol's shard now — the same <c>akka_leases</c> row sharding acquired
/// — and holds that row <c>FOR KEY SHARE</c> until the commit, so a takeover waits for it. Each node's journal sessions
/// say who they are (<see cref="SessionOptions"/>). A node that lost its shards while frozen or cut off therefore
/// commits nothing for them when it wakes, whatever its writes in flight: the check happens inside the write itself.
/// </summary>
public static class JournalFence
{
    /// <summary>
    /// The options of a journal session of the node <paramref name="owner"/> (Akka's lease owner name, host:port) with the
    /// presence key <paramref name="key"/>; a session without them cannot write a symbol's row. Timeouts bound how long a
    /// frozen writer can hold a lease row locked.
    /// </summary>
    public static string SessionOptions(string owner, int key) =>
        $"-c akkaex.lease_owner={owner} -c akkaex.lease_key={key} -c idle_in_transaction_session_timeout=5000 -c statement_timeout=60000";

    /// <summary>The fence: which lease guards each symbol's journal, and the trigger that checks it.</summary>
    public static string Sql(string journalTable) => $$"""
        CREATE TABLE IF NOT EXISTS fenced_entities (persistence_id TEXT PRIMARY KEY, lease_name TEXT NOT NULL);
        CREATE OR REPLACE FUNCTION akkaex_journal_fence() RETURNS trigger LANGUAGE plpgsql AS $fence$
        DECLARE
            lease TEXT;
        BEGIN
            SELECT f.lease_name INTO lease FROM fenced_entities f WHERE f.persistence_id = NEW.persistence_id;
            IF lease IS NULL THEN
                RETURN NEW;
            END IF;
            PERFORM 1 FROM akka_leases WHERE name = lease AND owner = current_setting('akkaex.lease_owner', true)
                AND owner_key = NULLIF(current_setting('akkaex.lease_key', true), '')::int AND expires_at > clock_timestamp()
                FOR KEY SHARE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'journal write of % refused: lease % is not held by %', NEW.persistence_id, lease,
                    coalesce(current_setting('akkaex.lease_owner', true), 'an unnamed session');
            END IF;
            RETURN NEW;
        END
        $fence$;
        CREATE OR REPLACE TRIGGER akkaex_journal_fence BEFORE INSERT ON {{journalTable}}
            FOR EACH ROW EXECUTE FUNCTION akkaex_journal_fence();
        """;

    /// <summary>Records which lease guards each persistence id (the same on every node: the shard map is shared).</summary>
    public static async Task MapAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyDictionary<string, string> leaseOfPersistenceId,
        CancellationToken cancellation)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO fenced_entities (persistence_id, lease_name) SELECT * FROM unnest($1::text[], $2::text[])
            ON CONFLICT (persistence_id) DO UPDATE SET lease_name = excluded.lease_name
            """, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = leaseOfPersistenceId.Keys.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = leaseOfPersistenceId.Values.ToArray() });
        await cmd.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }
}
