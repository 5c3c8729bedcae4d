using System.Diagnostics.Metrics;

namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// The symbols' journal writes, on .NET's metrics API (the node exports it at <c>/metrics</c>): how long each row took
/// to commit, and how many commands it carried (the batching that makes one write serve many orders).
/// </summary>
public static class JournalMetrics
{
    public static readonly Meter Meter = new("akkaex.journal");

    public static readonly Histogram<double> WriteSeconds = Meter.CreateHistogram<double>("write_duration_seconds", "s",
        "time from sending a symbol's journal row to its commit");

    public static readonly Histogram<int> CommandsPerWrite = Meter.CreateHistogram<int>("write_commands", "{command}",
        "commands answered by one journal row");
}
