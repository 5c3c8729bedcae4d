namespace AkkaExchange.Node.Telemetry;

/// <summary>One second of a node's order commands (<see cref="OrderActivity"/>); latencies in microseconds, 0 when none was answered.</summary>
public readonly record struct ActivitySecond(long At, long Acknowledged, long Rejected, long Errors, long P50Micros, long P99Micros);
