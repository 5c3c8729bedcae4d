namespace AkkaExchange.LoadTest;

/// <summary>An order the exchange acknowledged: verification looks it up afterwards.</summary>
public sealed record AckedOrder(string Symbol, string Account, string ClientOrderId, long OrderId);
