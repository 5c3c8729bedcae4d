namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// A node as the membership table knows it. Times are the database's clock; <paramref name="HeartbeatAge"/> is
/// computed by it; <paramref name="Present"/> says its PostgreSQL session (presence lock) is alive.
/// </summary>
public sealed record MemberRecord(string NodeId, string HttpAddress, string TransportAddress, DateTimeOffset StartedAt, string Status,
    DateTimeOffset HeartbeatAt, TimeSpan HeartbeatAge, bool Present);
