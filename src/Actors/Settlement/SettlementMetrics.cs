using System.Diagnostics.Metrics;

namespace AkkaExchange.Actors.Settlement;

/// <summary>
/// Settlement and reconciliation on .NET's metrics API (the node exports it at <c>/metrics</c>). The singletons run on
/// one node at a time: that node reports <c>running</c> 1 and the lag; the others 0.
/// </summary>
public static class SettlementMetrics
{
    public static readonly Meter Meter = new("akkaex.settlement");

    private static long _lagMicros, _settlementRunning, _reconciliationRunning, _trades, _breaks;
    private static long _clean, _repaired, _broken;

    static SettlementMetrics()
    {
        // Cumulative since the process started. prometheus-net's meter adapter types every .NET counter "gauge" in the
        // scrape; the values only grow, so rate() and increase() read them as counters.
        Meter.CreateObservableCounter("trades", () => Interlocked.Read(ref _trades), "{trade}", "trades settled into the ledger by this node");
        Meter.CreateObservableCounter("reconciliation_runs", () => new[]
        {
            Outcome(ref _clean, "clean"), Outcome(ref _repaired, "repaired"), Outcome(ref _broken, "breaks"),
        }, "{run}", "reconciliation runs by outcome");
        Meter.CreateObservableCounter("reconciliation_breaks", () => Interlocked.Read(ref _breaks), "{break}",
            "mismatched and extra ledger entries found (left for an operator)");
        Meter.CreateObservableGauge("lag_seconds", () => LagSeconds, "s",
            "time from the last settled trade to its settlement commit, on the node running settlement");
        Meter.CreateObservableGauge("singleton_running", () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref _settlementRunning), new KeyValuePair<string, object?>("singleton", "settlement")),
            new Measurement<long>(Interlocked.Read(ref _reconciliationRunning), new KeyValuePair<string, object?>("singleton", "reconciliation")),
        }, null, "1 on the node where the singleton runs");
    }

    private static Measurement<long> Outcome(ref long count, string outcome) =>
        new(Interlocked.Read(ref count), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts settled trades.</summary>
    public static void Settled(long trades) => Interlocked.Add(ref _trades, trades);

    /// <summary>Counts a reconciliation run by its outcome, and the breaks it found.</summary>
    public static void Run(string outcome, long breaks)
    {
        switch (outcome)
        {
            case "clean": Interlocked.Increment(ref _clean); break;
            case "repaired": Interlocked.Increment(ref _repaired); break;
            default: Interlocked.Increment(ref _broken); break;
        }
        Interlocked.Add(ref _breaks, breaks);
    }

    public static void SettlementRunning(bool running) => Interlocked.Exchange(ref _settlementRunning, running ? 1 : 0);

    public static void ReconciliationRunning(bool running) => Interlocked.Exchange(ref _reconciliationRunning, running ? 1 : 0);

    public static void Lag(long micros) => Interlocked.Exchange(ref _lagMicros, micros);

    /// <summary>Whether settlement runs in this process (the dashboard reads what the meters export).</summary>
    public static bool IsSettlementRunning => Interlocked.Read(ref _settlementRunning) == 1;

    /// <summary>The last settlement lag measured here, in seconds.</summary>
    public static double LagSeconds => Interlocked.Read(ref _lagMicros) / 1e6;

    /// <summary>Trades settled by this process since it started.</summary>
    public static long TradesSettled => Interlocked.Read(ref _trades);
}
