namespace AkkaExchange.LoadTest;

/// <summary>What verification found: <paramref name="Lost"/> acknowledged orders the exchange cannot show.</summary>
public sealed record VerificationResult(long Checked, long Lost, long LookupErrors, IReadOnlyList<AckedOrder> LostSamples);
