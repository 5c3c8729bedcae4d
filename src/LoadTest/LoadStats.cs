using AkkaExchange.Messages.Diagnostics;

namespace AkkaExchange.LoadTest;

/// <summary>
/// Counters and latency histograms of a run, safe to update from every broker at once. Latency is in
/// microseconds, from the time a send was scheduled to the time its answer arrived (open loop: a slow exchange
/// shows up as latency, not as a lower send rate).
/// </summary>
public sealed class LoadStats
{
    private readonly object _gate = new();
    private readonly LatencyHistogram _total = new();
    private readonly LatencyHistogram _second = new();
    private long _sent, _acked, _rejected, _errors;
    private long _lastSent, _lastAcked;

    public long Sent => Interlocked.Read(ref _sent);
    public long Acked => Interlocked.Read(ref _acked);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Errors => Interlocked.Read(ref _errors);
    public long InFlight => Sent - Acked - Rejected - Errors;
    public List<SecondSample> Seconds { get; } = new();
    public LatencyHistogram Latency => _total;

    public void CountSent() => Interlocked.Increment(ref _sent);

    public void CountError() => Interlocked.Increment(ref _errors);

    /// <summary>Counts an answer; its latency goes into the run's figures unless it belongs to the warm-up.</summary>
    public void Record(ReportFrame frame, long latencyMicros, bool warmup = false)
    {
        if (frame.Status == "error")
        {
            Interlocked.Increment(ref _errors);
            return;
        }
        Interlocked.Increment(ref frame.IsAcknowledged ? ref _acked : ref _rejected);
        lock (_gate)
        {
            if (!warmup) _total.Record(latencyMicros);
            _second.Record(latencyMicros);
        }
    }

    /// <summary>Closes the current one-second window and returns it.</summary>
    public SecondSample Tick(double elapsedSeconds)
    {
        lock (_gate)
        {
            var sent = Sent;
            var acked = Acked;
            var sample = new SecondSample(elapsedSeconds, sent - _lastSent, acked - _lastAcked, InFlight,
                _second.Percentile(50), _second.Percentile(99), _second.Max);
            _lastSent = sent;
            _lastAcked = acked;
            _second.Reset();
            Seconds.Add(sample);
            return sample;
        }
    }
}
