namespace AkkaExchange.Actors.Settlement;

/// <summary>How the reconciliation singleton runs.</summary>
/// <param name="Interval">Time between scheduled runs (since the last clean run); requests are looked for much more often.</param>
/// <param name="RequestPoll">How often it looks for run requests made through the API of any node.</param>
/// <param name="MaxDetails">Lines of findings kept in a run's audit row.</param>
public sealed record ReconciliationSettings(TimeSpan Interval, TimeSpan RequestPoll, int MaxDetails = 100)
{
    public static ReconciliationSettings Default { get; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
}
