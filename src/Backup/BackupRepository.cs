using System.Text.Json;

namespace AkkaExchange.Backup;

/// <summary>
/// A directory of backups (the node's backup directory, or its copy standing for another region's bucket): one
/// directory per backup named by its id (UTC time, so names sort by age) holding <c>manifest.json</c>, its tag
/// <c>manifest.tag</c> and each file encrypted as <c>&lt;name&gt;.enc</c> (<see cref="FileCipher"/>). Nothing is
/// trusted before it authenticates: a manifest by its tag, a file chunk by chunk and then by the manifest's hash.
/// </summary>
public sealed class BackupRepository(string root, BackupKey key)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>A new backup's id: its UTC time to the millisecond.</summary>
    public static string NewId(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Encrypts the given plaintext files into a new backup and writes its manifest last (a backup without one is unfinished).</summary>
    public async Task<BackupManifest> WriteAsync(string id, DateTimeOffset createdAt, string kind, string node, IReadOnlyList<(string Name, string Path)> files,
        IReadOnlyDictionary<string, long> journalSequences, CancellationToken cancellation, PostgresBackupInfo? postgres = null)
    {
        var dir = Path.Combine(Root, id);
        if (Directory.Exists(dir)) throw new BackupException($"backup {id} exists");
        Directory.CreateDirectory(dir);
        var written = new List<BackupFile>();
        foreach (var (name, path) in files)
        {
            await using var source = File.OpenRead(path);
            await using var target = File.Create(Path.Combine(dir, name + ".enc"));
            var (bytes, sha) = await FileCipher.EncryptAsync(key, $"{id}/{name}", source, target, cancellation);
            written.Add(new BackupFile(name, bytes, sha));
        }
        var manifest = new BackupManifest(id, createdAt.ToUnixTimeMilliseconds(), kind, node, written, journalSequences, postgres);
        var json = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
        await File.WriteAllBytesAsync(Path.Combine(dir, "manifest.tag"), FileCipher.Sign(key, $"{id}/manifest", json), cancellation);
        await File.WriteAllBytesAsync(Path.Combine(dir, "manifest.json"), json, cancellation);
        return manifest;
    }

    /// <summary>Every backup here, newest first; one whose manifest is missing or fails authentication is listed with the problem.</summary>
    public IReadOnlyList<BackupListing> List()
    {
        if (!Directory.Exists(Root)) return [];
        return Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .Where(name => name != WalArchive.DirectoryName && !name.EndsWith(".copying", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Reverse()
            .Select(id =>
            {
                try
                {
                    return new BackupListing(id, Read(id), null);
                }
                catch (BackupException e)
                {
                    return new BackupListing(id, null, e.Message);
                }
            }).ToArray();
    }

    /// <summary>The authenticated manifest of a backup.</summary>
    public BackupManifest Read(string id)
    {
        var dir = DirectoryOf(id);
        var manifestPath = Path.Combine(dir, "manifest.json");
        var tagPath = Path.Combine(dir, "manifest.tag");
        if (!File.Exists(manifestPath) || !File.Exists(tagPath)) throw new BackupException($"backup {id} has no manifest (unfinished)");
        var json = File.ReadAllBytes(manifestPath);
        if (!FileCipher.Verify(key, $"{id}/manifest", json, File.ReadAllBytes(tagPath)))
            throw new BackupException($"backup {id}: its manifest fails authentication (tampered, or another key)");
        return JsonSerializer.Deserialize<BackupManifest>(json, Json) ?? throw new BackupException($"backup {id}: empty manifest");
    }

    /// <summary>Decrypts every file (into nothing) and checks it against the manifest; throws on the first problem.</summary>
    public async Task<BackupManifest> VerifyAsync(string id, CancellationToken cancellation)
    {
        var manifest = Read(id);
        foreach (var file in manifest.Files) await DecryptAsync(id, file, Stream.Null, cancellation);
        return manifest;
    }

    /// <summary>
    /// Writes a backup's files into <paramref name="targetDirectory"/> (made if missing) for a node to start on: each
    /// file is decrypted beside its final name and renamed once it checks out. A directory already holding one of the
    /// files is refused: a restore never overwrites data.
    /// </summary>
    public async Task<BackupManifest> RestoreAsync(string id, string targetDirectory, CancellationToken cancellation)
    {
        var manifest = Read(id);
        Directory.CreateDirectory(targetDirectory);
        foreach (var file in manifest.Files)
            if (File.Exists(Path.Combine(targetDirectory, file.Name)))
                throw new BackupException($"{Path.Combine(targetDirectory, file.Name)} exists: restore into a new data directory");
        foreach (var file in manifest.Files)
        {
            var final = Path.Combine(targetDirectory, file.Name);
            var partial = final + ".restoring";
            try
            {
                await using (var target = File.Create(partial)) await DecryptAsync(id, file, target, cancellation);
                File.Move(partial, final);
            }
            finally
            {
                File.Delete(partial);
            }
        }
        return manifest;
    }

    /// <summary>The archive of PostgreSQL's write-ahead log kept beside the base backups.</summary>
    public WalArchive Wal => new(Root, key);

    /// <summary>Copies a backup's files as they are (still encrypted) into another repository's root.</summary>
    public void CopyTo(string id, string otherRoot)
    {
        var target = Path.Combine(otherRoot, id);
        var staging = target + ".copying";
        Directory.CreateDirectory(staging);
        foreach (var file in Directory.EnumerateFiles(DirectoryOf(id)).Order(StringComparer.Ordinal))
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)), overwrite: true);
        // Whole or not at all: a copy cut short never looks like a backup.
        Directory.Move(staging, target);
    }

    public void Delete(string id) => Directory.Delete(DirectoryOf(id), recursive: true);

    private async Task DecryptAsync(string id, BackupFile file, Stream target, CancellationToken cancellation)
    {
        var path = Path.Combine(DirectoryOf(id), file.Name + ".enc");
        if (!File.Exists(path)) throw new BackupException($"backup {id}: {file.Name} is missing");
        await using var source = File.OpenRead(path);
        var (bytes, sha) = await FileCipher.DecryptAsync(key, $"{id}/{file.Name}", source, target, cancellation);
        if (bytes != file.Bytes || sha != file.Sha256) throw new BackupException($"backup {id}: {file.Name} does not match its manifest");
    }

    private string DirectoryOf(string id)
    {
        // An id is a name in this directory, never a path out of it.
        if (id.Length == 0 || id.IndexOfAny(['/', '\\']) >= 0 || id is "." or "..") throw new BackupException($"no backup {id}");
        var dir = Path.Combine(Root, id);
        return Directory.Exists(dir) ? dir : throw new BackupException($"no backup {id} in {Root}");
    }
}
