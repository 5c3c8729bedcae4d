namespace AkkaExchange.Actors.Persistence;

/// <summary>A node as the membership table knows it. Times are the database's clock; <paramref name="HeartbeatAge"/> is computed by it.</summary>
public sealed record MemberRecord(string NodeId, string HttpAddress, string TransportAddress, DateTimeOffset StartedAt, string Status,
    DateTimeOffset HeartbeatAt, TimeSpan HeartbeatAge);
