namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// One journaled event. (PersistenceId, SequenceNr) is unique: a second write of the same pair is refused,
/// which is what fences a writer that lost ownership. <paramref name="Ordering"/> is the journal-wide position
/// assigned on write (0 before).
/// </summary>
public sealed record JournalEntry(
    string PersistenceId,
    long SequenceNr,
    byte EventType,
    byte EventVersion,
    byte[] Payload,
    long Timestamp,
    string WriterId,
    long Ordering = 0);
