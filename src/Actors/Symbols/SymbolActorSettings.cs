namespace AkkaExchange.Actors.Symbols;

/// <summary>How symbol actors persist.</summary>
/// <param name="WriterId">Written into every journal row: which node wrote it.</param>
/// <param name="SnapshotInterval">A snapshot is taken when this many events were journaled since the last.</param>
/// <param name="RetainedDoneOrders">Finished orders each symbol remembers for idempotency and lookups.</param>
/// <param name="MaxBatchEvents">Events an actor gathers before it flushes even with more messages waiting.</param>
/// <param name="BookUpdateDepth">Levels per side in published book updates.</param>
public sealed record SymbolActorSettings(
    string WriterId,
    int SnapshotInterval = 10_000,
    int RetainedDoneOrders = Domain.OrderRegistry.DefaultRetainedDoneOrders,
    int MaxBatchEvents = 4_096,
    int BookUpdateDepth = 10);
