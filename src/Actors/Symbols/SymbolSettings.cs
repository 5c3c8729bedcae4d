namespace AkkaExchange.Actors.Symbols;

/// <summary>How symbol entities persist and publish.</summary>
/// <param name="SnapshotInterval">A snapshot is saved when this many events were journaled since the last.</param>
/// <param name="RetainedDoneOrders">Finished orders each symbol remembers for idempotency and lookups.</param>
/// <param name="BookUpdateDepth">Levels per side in published book updates and market-data snapshots.</param>
public sealed record SymbolSettings(
    int SnapshotInterval = 10_000,
    int RetainedDoneOrders = Domain.OrderRegistry.DefaultRetainedDoneOrders,
    int BookUpdateDepth = 10);
