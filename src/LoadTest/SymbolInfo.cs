namespace AkkaExchange.LoadTest;

/// <summary>A listed symbol as the exchange describes it.</summary>
public sealed record SymbolInfo(string Symbol, decimal TickSize);
