using Amazon.S3;
using Amazon.S3.Model;
using AkkaExchange.Backup;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// The backups' S3 location against an S3-compatible server (s3rver): archived WAL round-trips and is refused when
/// changed in the bucket; backups upload whole (manifest last) and come back byte for byte; retention in the bucket
/// deletes exactly what it deletes in a directory holding the same backups.
/// </summary>
[Collection(LocalS3.Collection)]
public sealed class BackupBucketSpecs : IAsyncLifetime
{
    private readonly string _dir = RepositoryPaths.TempDirectory("s3-location");
    private LocalS3 _s3 = null!;
    private BackupKey _key = null!;

    public async Task InitializeAsync()
    {
        _s3 = await LocalS3.StartAsync();
        _s3.UseHere();
        var keyFile = Path.Combine(_dir, "key");
        await File.WriteAllTextAsync(keyFile, BackupKey.NewKeyText());
        _key = BackupKey.Load(keyFile);
    }

    public async Task DisposeAsync() => await _s3.DisposeAsync();

    [Fact]
    public async Task Archived_wal_comes_back_byte_for_byte_and_a_changed_object_is_refused()
    {
        using var bucket = new BackupBucket($"s3://{LocalS3.Bucket}/region-b/wal-spec", _key);
        var segment = Plain("segment", (2 << 20) + 3, 1);
        await bucket.PushWalAsync(segment, "000000010000000000000005", default);
        await bucket.PushWalAsync(segment, "000000010000000000000005", default);
        var conflict = await Assert.ThrowsAsync<BackupException>(() => bucket.PushWalAsync(Plain("other", 10, 2), "000000010000000000000005", default));
        Assert.Contains("archived already", conflict.Message);
        Assert.Equal(["000000010000000000000005"], await bucket.WalNamesAsync(default));

        var fetched = Path.Combine(_dir, "fetched");
        Assert.True(await bucket.FetchWalAsync("000000010000000000000005", fetched, default));
        Assert.Equal(await File.ReadAllBytesAsync(segment), await File.ReadAllBytesAsync(fetched));
        Assert.False(await bucket.FetchWalAsync("000000010000000000000006", Path.Combine(_dir, "missing"), default));

        // One changed byte in the bucket's object.
        using var raw = RawClient();
        var key = "region-b/wal-spec/wal/000000010000000000000005.enc";
        byte[] bytes;
        using (var response = await raw.GetObjectAsync(LocalS3.Bucket, key))
        using (var memory = new MemoryStream())
        {
            await response.ResponseStream.CopyToAsync(memory);
            bytes = memory.ToArray();
        }
        bytes[bytes.Length / 2] ^= 1;
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = LocalS3.Bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false });
        var target = Path.Combine(_dir, "tampered");
        Assert.Contains("fails authentication", (await Assert.ThrowsAsync<BackupException>(() => bucket.FetchWalAsync("000000010000000000000005", target, default))).Message);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task The_cli_archives_into_a_directory_and_a_bucket_at_once_and_fetches_from_the_bucket()
    {
        var keyFile = Path.Combine(_dir, "cli.key");
        await File.WriteAllTextAsync(keyFile, BackupKey.NewKeyText());
        var segment = Plain("cli-segment", 300_000, 3);
        var bucketUri = $"s3://{LocalS3.Bucket}/cli-spec";
        var directory = Path.Combine(_dir, "cli-archive");
        var (push, _, pushError) = await CliSpecs.RunAsync(["backup", "wal-push", segment, "00000001000000000000000A", "--to", directory, "--to", bucketUri, "--key-file", keyFile]);
        Assert.True(push == 0, pushError);
        Assert.Equal(["00000001000000000000000A"], new WalArchive(directory, BackupKey.Load(keyFile)).Names());

        var fetched = Path.Combine(_dir, "cli-fetched");
        var (fetch, _, fetchError) = await CliSpecs.RunAsync(["backup", "wal-fetch", "00000001000000000000000A", fetched, "--from", bucketUri, "--key-file", keyFile]);
        Assert.True(fetch == 0, fetchError);
        Assert.Equal(await File.ReadAllBytesAsync(segment), await File.ReadAllBytesAsync(fetched));
        // Past the end of the archive: 1, the normal end of a recovery.
        var (missing, _, _) = await CliSpecs.RunAsync(["backup", "wal-fetch", "00000001000000000000000B", Path.Combine(_dir, "none"), "--from", bucketUri, "--key-file", keyFile]);
        Assert.Equal(1, missing);
        // Another key: the bucket's object does not authenticate, and recovery must stop (above 125).
        var otherKey = Path.Combine(_dir, "other.key");
        await File.WriteAllTextAsync(otherKey, BackupKey.NewKeyText());
        var (foreign, _, why) = await CliSpecs.RunAsync(["backup", "wal-fetch", "00000001000000000000000A", Path.Combine(_dir, "foreign"), "--from", bucketUri, "--key-file", otherKey]);
        Assert.Equal(126, foreign);
        Assert.Contains("fails authentication", why);
    }

    [Fact]
    public async Task Backups_upload_whole_restore_byte_for_byte_and_retention_in_the_bucket_equals_retention_in_a_directory()
    {
        var local = new BackupRepository(Path.Combine(_dir, "local"), _key);
        var mirror = new BackupRepository(Path.Combine(_dir, "mirror"), _key);
        using var bucket = new BackupBucket($"s3://{LocalS3.Bucket}/retention-spec", _key);
        var start = DateTimeOffset.UtcNow.AddDays(-3);
        var files = PostgresRestore.Files.Select((f, i) => (f, Plain(f, 1000 * (i + 1), 10 + i))).ToArray();
        // Six base backups over three days, each with the WAL from its start segment on.
        for (var i = 0; i < 6; i++)
        {
            var at = start.AddHours(11 * i);
            var id = BackupRepository.NewId(at);
            var first = $"00000001000000000000{2 * i + 2:X4}";
            await local.WriteAsync(id, at, "postgres", "n1", files, new Dictionary<string, long> { ["symbol-AAPL"] = i }, default,
                new PostgresBackupInfo(1, "0/0", "0/0", first, at.ToUnixTimeMilliseconds(), "15"));
            await local.Wal.PushAsync(files[0].Item2, first, default);
            await local.Wal.PushAsync(files[0].Item2, $"00000001000000000000{2 * i + 3:X4}", default);
            await bucket.UploadBackupAsync(local, id, default);
            local.CopyTo(id, mirror.Root);
        }
        Assert.Equal(12, await bucket.UploadWalAsync(local.Wal, default));
        Assert.Equal(0, await bucket.UploadWalAsync(local.Wal, default));
        local.Wal.CopyTo(mirror.Wal);
        Assert.Equal(local.List().Select(l => l.Id), await bucket.FinishedIdsAsync(default));

        // What comes back from the bucket is the backup, checked byte for byte.
        var newest = local.List()[0].Id;
        var copy = await bucket.DownloadAsync(Path.Combine(_dir, "downloaded"), default);
        await bucket.DownloadFilesAsync(copy.Root, newest, default);
        Assert.Equal(local.Read(newest), await copy.VerifyAsync(newest, default), new ManifestComparer());

        var policy = new RetentionPolicy(Hourly: 2, Daily: 2);
        var (expired, oldestNeeded) = policy.Plan([.. mirror.List().Select(l => l.Manifest!)]);
        foreach (var id in expired) mirror.Delete(id);
        mirror.Wal.Prune(oldestNeeded!);
        var (backups, wal) = await bucket.PruneAsync(policy, default);
        Assert.True(backups > 0 && wal > 0, "the spec's history has something to expire");
        Assert.Equal(mirror.List().Select(l => l.Id), await bucket.FinishedIdsAsync(default));
        Assert.Equal(mirror.List().Select(l => l.Id), await bucket.IdsAsync(default));
        Assert.Equal(mirror.Wal.Names(), await bucket.WalNamesAsync(default));
    }

    private AmazonS3Client RawClient() => new(new AmazonS3Config { ServiceURL = _s3.Environment["AWS_ENDPOINT_URL_S3"], ForcePathStyle = true });

    private string Plain(string name, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(_dir, $"plain-{name}-{seed}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Manifests compared by content (their lists and dictionaries are not records).</summary>
    private sealed class ManifestComparer : IEqualityComparer<BackupManifest>
    {
        public bool Equals(BackupManifest? a, BackupManifest? b) => a is not null && b is not null && a.Id == b.Id && a.Kind == b.Kind
            && a.CreatedAt == b.CreatedAt && a.Files.SequenceEqual(b.Files) && a.JournalSequences.OrderBy(p => p.Key).SequenceEqual(b.JournalSequences.OrderBy(p => p.Key))
            && a.Postgres == b.Postgres;

        public int GetHashCode(BackupManifest m) => m.Id.GetHashCode();
    }
}
