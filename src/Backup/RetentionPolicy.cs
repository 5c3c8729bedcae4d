namespace AkkaExchange.Backup;

/// <summary>
/// Which backups to keep: the newest of each of the last <see cref="Hourly"/> hours that have a backup, and the newest
/// of each of the last <see cref="Daily"/> days (UTC) that have one. Everything else has expired. Pure: the same
/// backups give the same answer, and applying it to what it keeps expires nothing more.
/// </summary>
public sealed record RetentionPolicy(int Hourly, int Daily)
{
    /// <summary>The ids of the backups that have expired.</summary>
    public IReadOnlyList<string> Expired(IEnumerable<(string Id, long CreatedAt)> backups)
    {
        var all = backups.ToArray();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        Keep(all, Hourly, at => at / 3_600_000, keep);
        Keep(all, Daily, at => at / 86_400_000, keep);
        return all.Where(b => !keep.Contains(b.Id)).Select(b => b.Id).ToArray();
    }

    /// <summary>
    /// What retention deletes from a location holding <paramref name="manifests"/>: the expired backups, and the
    /// first WAL segment still needed — the oldest kept PostgreSQL base backup's (null: no WAL is needed).
    /// </summary>
    public (IReadOnlyList<string> Expired, string? OldestNeededWal) Plan(IReadOnlyCollection<BackupManifest> manifests)
    {
        var expired = Expired(manifests.Select(m => (m.Id, m.CreatedAt)));
        var gone = expired.ToHashSet(StringComparer.Ordinal);
        var oldest = manifests.Where(m => !gone.Contains(m.Id) && m.Postgres is not null).MinBy(m => m.CreatedAt)?.Postgres?.StartWalFile;
        return (expired, oldest);
    }

    private static void Keep((string Id, long CreatedAt)[] backups, int buckets, Func<long, long> bucketOf, HashSet<string> keep)
    {
        foreach (var newest in backups.GroupBy(b => bucketOf(b.CreatedAt)).OrderByDescending(g => g.Key).Take(buckets)
                     .Select(g => g.MaxBy(b => (b.CreatedAt, b.Id))))
            keep.Add(newest.Id);
    }
}
