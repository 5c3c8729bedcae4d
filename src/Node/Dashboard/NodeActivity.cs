namespace AkkaExchange.Node.Dashboard;

/// <summary>
/// One node's activity as the dashboard charts it: its order seconds (<c>[unixSeconds, acknowledged, rejected, errors,
/// p50Micros, p99Micros]</c>, oldest first) and its settlement singleton's state. <see cref="Answered"/> is false, with
/// the <see cref="Error"/>, for a member that did not answer in time.
/// </summary>
public sealed record NodeActivity(string NodeId, bool Answered, string? Error, long[][] Seconds, SettlementActivity? Settlement);
