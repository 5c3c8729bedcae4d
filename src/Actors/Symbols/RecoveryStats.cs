namespace AkkaExchange.Actors.Symbols;

/// <summary>Process-wide recovery counters: how many events were replayed and how many snapshots loaded.</summary>
public static class RecoveryStats
{
    private static long _events;
    private static long _snapshots;

    public static long EventsReplayed => Interlocked.Read(ref _events);
    public static long SnapshotsLoaded => Interlocked.Read(ref _snapshots);

    internal static void Record(long events, bool snapshot)
    {
        Interlocked.Add(ref _events, events);
        if (snapshot) Interlocked.Increment(ref _snapshots);
    }
}
