namespace AkkaExchange.Actors.Symbols;

/// <summary>Process-wide recovery counters: how many events were replayed and how long replay took.</summary>
public static class RecoveryStats
{
    private static long _events;
    private static long _ticks;
    private static long _snapshots;

    public static long EventsReplayed => Interlocked.Read(ref _events);
    public static long SnapshotsLoaded => Interlocked.Read(ref _snapshots);
    public static TimeSpan ReplayTime => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    internal static void Record(long events, bool snapshot, TimeSpan elapsed)
    {
        Interlocked.Add(ref _events, events);
        Interlocked.Add(ref _ticks, elapsed.Ticks);
        if (snapshot) Interlocked.Increment(ref _snapshots);
    }
}
