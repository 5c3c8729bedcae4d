using AkkaExchange.Backup;

namespace AkkaExchange.Domain.Tests;

/// <summary>
/// Retention against a reference written the other way round — a backup is kept when it is the newest of its hour and
/// its hour is among the newest <c>Hourly</c> hours with a backup, or the same by day — for seeded random histories.
/// </summary>
public sealed class RetentionSpecs
{
    public static TheoryData<int> Seeds() => new(Enumerable.Range(1, 200));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Expires_exactly_what_the_reference_does_keeps_the_newest_and_is_stable(int seed)
    {
        var random = new Random(seed);
        var start = 1_800_000_000_000L;
        var backups = Enumerable.Range(0, random.Next(0, 120))
            .Select(i => ($"b{i:D3}", start + (long)(random.NextDouble() * random.Next(1, 20) * 86_400_000))).ToArray();
        var policy = new RetentionPolicy(random.Next(0, 30), random.Next(0, 10));

        var expired = policy.Expired(backups).ToHashSet();
        var reference = backups.Where(b => !(Kept(backups, b, policy.Hourly, 3_600_000) || Kept(backups, b, policy.Daily, 86_400_000)))
            .Select(b => b.Item1).ToHashSet();
        Assert.Equal(reference.Order(), expired.Order());
        if (backups.Length > 0 && (policy.Hourly > 0 || policy.Daily > 0))
            Assert.DoesNotContain(backups.MaxBy(b => (b.Item2, b.Item1)).Item1, expired);
        // What is kept stays kept when the policy runs again.
        Assert.Empty(policy.Expired(backups.Where(b => !expired.Contains(b.Item1))));
    }

    private static bool Kept((string Id, long At)[] all, (string Id, long At) b, int buckets, long width)
    {
        var bucket = b.At / width;
        var newestOfBucket = all.Where(x => x.At / width == bucket).All(x => (x.At, x.Id).CompareTo((b.At, b.Id)) <= 0);
        var newerBuckets = all.Select(x => x.At / width).Distinct().Count(k => k > bucket);
        return newestOfBucket && newerBuckets < buckets;
    }
}
