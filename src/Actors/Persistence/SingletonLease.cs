namespace AkkaExchange.Actors.Persistence;

/// <summary>Who runs a cluster singleton, under which epoch, until when; <paramref name="Expired"/> by the database clock.</summary>
public sealed record SingletonLease(string Name, string? Owner, long Epoch, DateTimeOffset LeaseUntil, bool Expired);
