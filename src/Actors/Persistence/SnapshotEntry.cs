namespace AkkaExchange.Actors.Persistence;

/// <summary>A snapshot of an actor's state as of <paramref name="SequenceNr"/> (its events up to and including it).</summary>
public sealed record SnapshotEntry(string PersistenceId, long SequenceNr, int Version, byte[] Payload, long Timestamp);
