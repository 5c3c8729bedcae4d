using AkkaExchange.Backup;

namespace AkkaExchange.Domain.Tests;

/// <summary>
/// The encrypted backup format: files of every size come back byte for byte; any changed, cut, moved or foreign
/// byte is refused with a reason; a manifest that does not authenticate is listed as a problem, never trusted.
/// </summary>
public sealed class BackupFormatSpecs : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "akkaex-tests", $"backup-format-{Guid.NewGuid():N}");
    private readonly BackupKey _key;

    public BackupFormatSpecs()
    {
        Directory.CreateDirectory(_dir);
        _key = KeyFile("key", BackupKey.NewKeyText());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BackupKey KeyFile(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return BackupKey.Load(path);
    }

    private async Task<(BackupRepository Repo, string Id, Dictionary<string, byte[]> Files)> BackupAsync(params int[] sizes)
    {
        var random = new Random(sizes.Sum());
        var files = sizes.Select((size, i) => (Name: $"file{i}.db", Bytes: RandomBytes(random, size))).ToDictionary(f => f.Name, f => f.Bytes);
        var plain = Path.Combine(_dir, "plain-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(plain);
        foreach (var (name, bytes) in files) await File.WriteAllBytesAsync(Path.Combine(plain, name), bytes);
        var repo = new BackupRepository(Path.Combine(_dir, "repo"), _key);
        var id = BackupRepository.NewId(DateTimeOffset.UtcNow) + Guid.NewGuid().ToString("N")[..4];
        await repo.WriteAsync(id, DateTimeOffset.UtcNow, "sqlite", "n1", files.Keys.Select(n => (n, Path.Combine(plain, n))).ToArray(),
            new Dictionary<string, long> { ["symbol-AAPL"] = 42 }, CancellationToken.None);
        return (repo, id, files);
    }

    private static byte[] RandomBytes(Random random, int size)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Files_of_every_size_restore_byte_for_byte_and_the_manifest_says_what_and_where()
    {
        const int chunk = 1 << 20;
        var (repo, id, files) = await BackupAsync(0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 17);
        var manifest = await repo.VerifyAsync(id, CancellationToken.None);
        Assert.Equal(42, manifest.JournalSequences["symbol-AAPL"]);
        var target = Path.Combine(_dir, "restored");
        await repo.RestoreAsync(id, target, CancellationToken.None);
        foreach (var (name, bytes) in files) Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(target, name)));
        // Encrypted: no 64-byte run of a file appears in its backup.
        var stored = await File.ReadAllBytesAsync(Path.Combine(repo.Root, id, "file5.db.enc"));
        Assert.Equal(-1, stored.AsSpan().IndexOf(files["file5.db"].AsSpan(1000, 64)));
        // A restore never writes over data.
        var again = await Assert.ThrowsAsync<BackupException>(() => repo.RestoreAsync(id, target, CancellationToken.None));
        Assert.Contains("new data directory", again.Message);
    }

    [Theory]
    [InlineData(0)]            // header
    [InlineData(13 + 2)]       // first chunk's length
    [InlineData(13 + 4 + 5)]   // first chunk's ciphertext
    [InlineData(-3)]           // last chunk's tag
    public async Task A_changed_byte_anywhere_is_refused(int offset)
    {
        var (repo, id, _) = await BackupAsync((1 << 20) + 10);
        var path = Path.Combine(repo.Root, id, "file0.db.enc");
        var bytes = await File.ReadAllBytesAsync(path);
        var at = offset >= 0 ? offset : bytes.Length + offset;
        bytes[at] ^= 0x20;
        await File.WriteAllBytesAsync(path, bytes);
        await Assert.ThrowsAsync<BackupException>(() => repo.VerifyAsync(id, CancellationToken.None));
        await Assert.ThrowsAsync<BackupException>(() => repo.RestoreAsync(id, Path.Combine(_dir, "t" + offset), CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(_dir, "t" + offset, "file0.db")), "nothing of a refused file is left in the target");
    }

    [Fact]
    public async Task A_cut_off_file_a_file_from_another_backup_a_changed_manifest_and_another_key_are_refused()
    {
        var (repo, id, _) = await BackupAsync(3 << 20, 100);
        var file = Path.Combine(repo.Root, id, "file0.db.enc");
        var whole = await File.ReadAllBytesAsync(file);

        // Cut at a chunk boundary: every remaining chunk authenticates, but the last one is missing.
        await File.WriteAllBytesAsync(file, whole[..(13 + 4 + (1 << 20) + 16)]);
        Assert.Contains("cut off", (await Assert.ThrowsAsync<BackupException>(() => repo.VerifyAsync(id, CancellationToken.None))).Message);
        await File.WriteAllBytesAsync(file, whole);

        // The same name from another backup (same key) does not pass for this one's.
        var (_, other, _) = await BackupAsync(3 << 20, 100);
        File.Copy(Path.Combine(repo.Root, other, "file0.db.enc"), file, overwrite: true);
        await Assert.ThrowsAsync<BackupException>(() => repo.VerifyAsync(id, CancellationToken.None));
        await File.WriteAllBytesAsync(file, whole);
        await repo.VerifyAsync(id, CancellationToken.None);

        var manifest = Path.Combine(repo.Root, id, "manifest.json");
        var text = await File.ReadAllTextAsync(manifest);
        await File.WriteAllTextAsync(manifest, text.Replace("\"symbol-AAPL\": 42", "\"symbol-AAPL\": 43"));
        var listed = Assert.Single(repo.List(), l => l.Id == id);
        Assert.Null(listed.Manifest);
        Assert.Contains("fails authentication", listed.Problem);
        await File.WriteAllTextAsync(manifest, text);

        var stranger = new BackupRepository(repo.Root, KeyFile("other-key", BackupKey.NewKeyText()));
        await Assert.ThrowsAsync<BackupException>(() => stranger.VerifyAsync(id, CancellationToken.None));
    }

    [Fact]
    public void A_key_file_that_is_not_32_bytes_of_base64_is_refused_with_the_reason()
    {
        Assert.Contains("base64", Assert.Throws<BackupException>(() => KeyFile("bad", "not base64!")).Message);
        Assert.Contains("holds 16 bytes", Assert.Throws<BackupException>(() => KeyFile("short", Convert.ToBase64String(new byte[16]))).Message);
        Assert.Contains("does not exist", Assert.Throws<BackupException>(() => BackupKey.Load(Path.Combine(_dir, "missing"))).Message);
    }
}
