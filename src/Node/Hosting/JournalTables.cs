namespace AkkaExchange.Node.Hosting;

/// <summary>
/// The journal table as Akka.Persistence.Sql creates it on PostgreSQL (table mapping <c>postgresql</c>), created here
/// first so that its fence trigger (<see cref="Cluster.JournalFence"/>) exists before any symbol writes; the plugin's
/// own initialization then finds it in place. Kept identical to what the plugin creates (a spec compares them).
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
        """;
}
