using System.Diagnostics;

namespace AkkaExchange.LoadTest;

/// <summary>Monotonic time of a run in <see cref="TimeSpan"/> ticks since it started.</summary>
public sealed class RunClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public long Now => Stopwatch.GetElapsedTime(_start).Ticks;
}
