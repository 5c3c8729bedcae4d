using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace AkkaExchange.Backup;

/// <summary>
/// The second location as an S3 bucket, <c>s3://bucket/prefix</c>, laid out exactly like a backup directory
/// (<c>&lt;id&gt;/&lt;file&gt;.enc</c>, <c>&lt;id&gt;/manifest.json</c> + <c>manifest.tag</c>, <c>wal/&lt;name&gt;.enc</c>),
/// so <c>aws s3 sync</c> of the prefix is a directory any command reads. Only encrypted files travel; everything is
/// authenticated by <see cref="BackupRepository"/> and <see cref="WalArchive"/> on a local copy, never trusted from the
/// bucket. Credentials, region and endpoint come from the AWS SDK's usual sources (IRSA on EKS, <c>AWS_REGION</c>,
/// <c>AWS_ACCESS_KEY_ID</c>…); <c>AWS_ENDPOINT_URL_S3</c> (or <c>AWS_ENDPOINT_URL</c>) names an S3-compatible service,
/// addressed path-style.
/// </summary>
public sealed class BackupBucket : IDisposable
{
    private const string Scheme = "s3://";
    private readonly IAmazonS3 _s3;
    private readonly BackupKey _key;
    private readonly string _bucket;
    private readonly string _prefix;

    public BackupBucket(string uri, BackupKey key)
    {
        if (!IsS3(uri)) throw new BackupException($"{uri} is not an s3:// location");
        var rest = uri[Scheme.Length..].Trim('/');
        var slash = rest.IndexOf('/');
        _bucket = slash < 0 ? rest : rest[..slash];
        _prefix = slash < 0 ? "" : rest[(slash + 1)..] + "/";
        if (_bucket.Length == 0) throw new BackupException($"{uri} names no bucket (s3://bucket/prefix)");
        _key = key;
        Uri = uri;
        var config = new AmazonS3Config
        {
            // Whole bodies with their length: the checksums S3 needs are asked for where it needs them, and an
            // S3-compatible service reads the body as sent.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if ((Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL")) is { Length: > 0 } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
        }
        _s3 = new AmazonS3Client(config);
    }

    public string Uri { get; }

    public static bool IsS3(string location) => location.StartsWith(Scheme, StringComparison.Ordinal);

    /// <summary>Uploads a backup of <paramref name="local"/>: its files, then its manifest (last: a backup without one is unfinished).</summary>
    public async Task UploadBackupAsync(BackupRepository local, string id, CancellationToken cancellation)
    {
        local.Read(id);
        var dir = Path.Combine(local.Root, id);
        var files = Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>()
            .OrderBy(f => f switch { "manifest.json" => 2, "manifest.tag" => 1, _ => 0 }).ThenBy(f => f, StringComparer.Ordinal);
        foreach (var file in files) await PutAsync($"{id}/{file}", Path.Combine(dir, file), cancellation);
    }

    /// <summary>Uploads the archived WAL files the bucket lacks; returns how many.</summary>
    public async Task<int> UploadWalAsync(WalArchive local, CancellationToken cancellation)
    {
        var there = (await WalNamesAsync(cancellation)).ToHashSet(StringComparer.Ordinal);
        var uploaded = 0;
        foreach (var name in local.Names().Where(n => !there.Contains(n)))
        {
            await PutAsync($"{WalArchive.DirectoryName}/{name}.enc", Path.Combine(local.Directory, name + ".enc"), cancellation);
            uploaded++;
        }
        return uploaded;
    }

    /// <summary>
    /// <c>wal-push</c> into the bucket: encrypted here, then uploaded; a segment the bucket holds already succeeds
    /// with the same bytes and fails with others, as in a directory.
    /// </summary>
    public async Task PushWalAsync(string source, string name, CancellationToken cancellation)
    {
        if (!WalArchive.IsWalName(name)) throw new BackupException($"{name} is not a WAL file name");
        await WithScratchAsync(async scratch =>
        {
            var archive = new WalArchive(scratch, _key);
            var had = await GetAsync($"{WalArchive.DirectoryName}/{name}.enc", Path.Combine(archive.Directory, name + ".enc"), cancellation);
            await archive.PushAsync(source, name, cancellation);
            if (!had) await PutAsync($"{WalArchive.DirectoryName}/{name}.enc", Path.Combine(archive.Directory, name + ".enc"), cancellation);
            return 0;
        });
    }

    /// <summary><c>wal-fetch</c> from the bucket: false when it is not there; a file that fails authentication throws.</summary>
    public Task<bool> FetchWalAsync(string name, string target, CancellationToken cancellation)
    {
        if (!WalArchive.IsWalName(name)) throw new BackupException($"{name} is not a WAL file name");
        return WithScratchAsync(async scratch =>
        {
            var archive = new WalArchive(scratch, _key);
            return await GetAsync($"{WalArchive.DirectoryName}/{name}.enc", Path.Combine(archive.Directory, name + ".enc"), cancellation)
                && await archive.FetchAsync(name, target, cancellation);
        });
    }

    /// <summary>
    /// A local copy of the bucket's manifests in <paramref name="root"/> — enough for <see cref="BackupRepository"/> to
    /// list and choose; <see cref="DownloadFilesAsync"/> then brings the chosen backup's files.
    /// </summary>
    public async Task<BackupRepository> DownloadAsync(string root, CancellationToken cancellation)
    {
        foreach (var id in await IdsAsync(cancellation))
            foreach (var name in new[] { "manifest.json", "manifest.tag" })
                await GetAsync($"{id}/{name}", Path.Combine(root, id, name), cancellation);
        return new BackupRepository(root, _key);
    }

    /// <summary>Every file of backup <paramref name="id"/> into <paramref name="root"/>, beside the manifests <see cref="DownloadAsync"/> brought.</summary>
    public async Task DownloadFilesAsync(string root, string id, CancellationToken cancellation)
    {
        foreach (var name in await KeysAsync($"{id}/", cancellation))
            await GetAsync($"{id}/{name}", Path.Combine(root, id, name), cancellation);
    }

    /// <summary>Retention in the bucket: deletes the expired backups and the WAL no kept backup needs (<see cref="RetentionPolicy.Plan"/>).</summary>
    public async Task<(int Backups, int Wal)> PruneAsync(RetentionPolicy policy, CancellationToken cancellation)
    {
        var (expired, oldestNeeded) = await WithScratchAsync(async scratch =>
        {
            var copy = await DownloadAsync(scratch, cancellation);
            return policy.Plan([.. copy.List().Select(l => l.Manifest).OfType<BackupManifest>()]);
        });
        foreach (var id in expired)
            foreach (var name in await KeysAsync($"{id}/", cancellation))
                await _s3.DeleteObjectAsync(_bucket, $"{_prefix}{id}/{name}", cancellation);
        var wal = oldestNeeded is null ? [] : WalArchive.Unneeded(await WalNamesAsync(cancellation), oldestNeeded);
        foreach (var name in wal) await _s3.DeleteObjectAsync(_bucket, $"{_prefix}{WalArchive.DirectoryName}/{name}.enc", cancellation);
        return (expired.Count, wal.Count);
    }

    /// <summary>The backup ids in the bucket (its first-level "directories" but the WAL's), newest first.</summary>
    public async Task<IReadOnlyList<string>> IdsAsync(CancellationToken cancellation)
    {
        var ids = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix, Delimiter = "/" };
        do
        {
            var page = await _s3.ListObjectsV2Async(request, cancellation);
            ids.AddRange((page.CommonPrefixes ?? []).Select(p => p[_prefix.Length..].TrimEnd('/')).Where(p => p != WalArchive.DirectoryName && p.Length > 0));
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
        return [.. ids.Order(StringComparer.Ordinal).Reverse()];
    }

    /// <summary>The ids of the bucket's backups whose upload finished (their manifest is there).</summary>
    public async Task<IReadOnlyList<string>> FinishedIdsAsync(CancellationToken cancellation)
    {
        var finished = new List<string>();
        foreach (var id in await IdsAsync(cancellation))
            if ((await KeysAsync($"{id}/", cancellation)).Contains("manifest.json")) finished.Add(id);
        return finished;
    }

    /// <summary>The archived WAL files' names in the bucket, in order.</summary>
    public async Task<IReadOnlyList<string>> WalNamesAsync(CancellationToken cancellation) =>
        [.. (await KeysAsync($"{WalArchive.DirectoryName}/", cancellation)).Where(k => k.EndsWith(".enc", StringComparison.Ordinal))
            .Select(k => k[..^4]).Where(WalArchive.IsWalName).Order(StringComparer.Ordinal)];

    public void Dispose() => _s3.Dispose();

    /// <summary>The names of the objects under <paramref name="folder"/> (relative to it).</summary>
    private async Task<IReadOnlyList<string>> KeysAsync(string folder, CancellationToken cancellation)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + folder };
        do
        {
            var page = await _s3.ListObjectsV2Async(request, cancellation);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key[(_prefix.Length + folder.Length)..]).Where(k => k.Length > 0 && !k.Contains('/')));
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
        return keys;
    }

    private async Task PutAsync(string key, string path, CancellationToken cancellation) =>
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = _prefix + key, FilePath = path, UseChunkEncoding = false }, cancellation);

    /// <summary>Downloads an object into <paramref name="path"/>; false when there is no such object.</summary>
    private async Task<bool> GetAsync(string key, string path, CancellationToken cancellation)
    {
        try
        {
            using var response = await _s3.GetObjectAsync(_bucket, _prefix + key, cancellation);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var file = File.Create(path);
            await response.ResponseStream.CopyToAsync(file, cancellation);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="work"/> with a fresh local directory, deleted afterwards.</summary>
    private static async Task<T> WithScratchAsync<T>(Func<string, Task<T>> work)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"akkaex-s3-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            return await work(scratch);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
