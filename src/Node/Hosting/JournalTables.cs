namespace AkkaExchange.Node.Hosting;

/// <summary>
/// The journal and snapshot tables as Akka.Persistence.Sql creates them on PostgreSQL (table mapping <c>postgresql</c>),
/// created here first so that the journal's fence trigger (<see cref="Cluster.JournalFence"/>) exists before any symbol
/// writes, and so that a node on a standby region's replica — which takes no DDL — needs no plugin initialization.
/// Kept identical to what the plugin creates (RegionFailoverSpecs recovers through them on a promoted replica).
/// </summary>
public static class JournalTables
{
    public const string PostgresJournal = "event_journal";

    public const string Postgres = """
        CREATE TABLE IF NOT EXISTS event_journal (
            ordering BIGINT GENERATED ALWAYS AS IDENTITY,
            created_at BIGINT NOT NULL,
            is_deleted BOOLEAN NOT NULL,
            persistence_id TEXT NOT NULL,
            sequence_nr BIGINT NOT NULL,
            payload BYTEA NOT NULL,
            tags TEXT,
            manifest TEXT,
            serializer_id INTEGER,
            CONSTRAINT "PK_event_journal" PRIMARY KEY (ordering),
            CONSTRAINT event_journal_uq UNIQUE (persistence_id, sequence_nr));
        CREATE INDEX IF NOT EXISTS event_journal_created_at_idx ON event_journal (created_at);
        CREATE INDEX IF NOT EXISTS event_journal_sequence_nr_idx ON event_journal (sequence_nr);
        CREATE TABLE IF NOT EXISTS snapshot_store (
            persistence_id TEXT NOT NULL,
            sequence_nr BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            payload BYTEA,
            manifest TEXT,
            serializer_id INTEGER,
            CONSTRAINT "PK_snapshot_store" PRIMARY KEY (persistence_id, sequence_nr));
        CREATE INDEX IF NOT EXISTS snapshot_store_created_at_idx ON snapshot_store (created_at);
        CREATE INDEX IF NOT EXISTS snapshot_store_sequence_nr_idx ON snapshot_store (sequence_nr);
        """;
}
