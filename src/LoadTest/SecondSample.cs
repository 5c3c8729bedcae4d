namespace AkkaExchange.LoadTest;

/// <summary>One second of a run: sends, answers and latency (microseconds) in that second.</summary>
public sealed record SecondSample(double At, long Sent, long Acked, long InFlight, long P50Micros, long P99Micros, long MaxMicros);
