using System.Text.RegularExpressions;

namespace AkkaExchange.Backup;

/// <summary>
/// PostgreSQL's write-ahead log, archived continuously beside the base backups (<c>&lt;root&gt;/wal/&lt;name&gt;.enc</c>,
/// each file encrypted like a backup's files, bound to its name): PostgreSQL's <c>archive_command</c> pushes every
/// finished segment (<c>akkaex backup wal-push</c>) and a restoring server's <c>restore_command</c> fetches them
/// (<c>akkaex backup wal-fetch</c>). A base backup plus every segment after its start is a restore to any moment up
/// to the last archived segment.
/// </summary>
public sealed partial class WalArchive(string root, BackupKey key)
{
    public const string DirectoryName = "wal";

    public string Directory { get; } = Path.Combine(Path.GetFullPath(root), DirectoryName);

    /// <summary>
    /// Archives one file PostgreSQL hands over (<c>%p</c>) under its name (<c>%f</c>), durably, before returning — the
    /// server recycles the segment once the command succeeds. The same name again with the same bytes succeeds (the
    /// server may archive a segment twice after a crash); with other bytes it fails and the archived file stays.
    /// </summary>
    public async Task PushAsync(string source, string name, CancellationToken cancellation)
    {
        CheckName(name);
        System.IO.Directory.CreateDirectory(Directory);
        var target = PathOf(name);
        if (File.Exists(target))
        {
            var archived = await Sha256Async(name, cancellation);
            await using var stream = File.OpenRead(source);
            var offered = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellation));
            if (archived == offered) return;
            throw new BackupException($"{name} is archived already with other contents; not overwritten (two servers archiving into one place?)");
        }
        var partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var from = File.OpenRead(source))
            await using (var to = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await FileCipher.EncryptAsync(key, Context(name), from, to, cancellation);
                to.Flush(flushToDisk: true);
            }
            Share(partial);
            File.Move(partial, target);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// Decrypts an archived file into <paramref name="target"/> (written beside it, renamed once it authenticates).
    /// False when it is not archived — a restoring server asks for files past the end of the archive, that is normal.
    /// </summary>
    public async Task<bool> FetchAsync(string name, string target, CancellationToken cancellation)
    {
        CheckName(name);
        var path = PathOf(name);
        if (!File.Exists(path)) return false;
        var partial = target + ".fetching";
        try
        {
            await using (var from = File.OpenRead(path))
            await using (var to = File.Create(partial))
                await FileCipher.DecryptAsync(key, Context(name), from, to, cancellation);
            File.Move(partial, target, overwrite: true);
            return true;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>The archived files' names, in order.</summary>
    public IReadOnlyList<string> Names() => !System.IO.Directory.Exists(Directory)
        ? []
        : System.IO.Directory.EnumerateFiles(Directory, "*.enc").Select(f => Path.GetFileName(f)[..^4]).Where(n => NamePattern().IsMatch(n))
            .Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Deletes the segments no kept base backup needs (<see cref="Unneeded"/>). Returns how many went.
    /// </summary>
    public int Prune(string oldestNeeded)
    {
        var unneeded = Unneeded(Names(), oldestNeeded);
        foreach (var name in unneeded) File.Delete(PathOf(name));
        return unneeded.Count;
    }

    /// <summary>
    /// Of <paramref name="names"/>, those no kept base backup needs: segments (and backup history files) before
    /// <paramref name="oldestNeeded"/> — the oldest kept backup's first segment — on any timeline. Timeline history
    /// files are small and always kept.
    /// </summary>
    public static IReadOnlyList<string> Unneeded(IEnumerable<string> names, string oldestNeeded)
    {
        CheckName(oldestNeeded);
        if (oldestNeeded.Length != 24) throw new BackupException($"{oldestNeeded} is not a WAL segment name");
        return names.Where(n => NamePattern().IsMatch(n) && !n.EndsWith(".history", StringComparison.Ordinal)
            && string.CompareOrdinal(n[8..24], oldestNeeded[8..24]) < 0).ToArray();
    }

    /// <summary>Whether <paramref name="name"/> is a file PostgreSQL archives.</summary>
    public static bool IsWalName(string name) => NamePattern().IsMatch(name);

    /// <summary>Copies the archived files another archive lacks (still encrypted): the second location's copy of the WAL.</summary>
    public int CopyTo(WalArchive other)
    {
        var names = Names();
        if (names.Count == 0) return 0;
        System.IO.Directory.CreateDirectory(other.Directory);
        var copied = 0;
        foreach (var name in names)
        {
            var target = other.PathOf(name);
            if (File.Exists(target)) continue;
            var staging = target + ".copying";
            File.Copy(PathOf(name), staging, overwrite: true);
            Share(staging);
            File.Move(staging, target);
            copied++;
        }
        return copied;
    }

    /// <summary>Decrypts an archived file into nothing: its plaintext SHA-256, or an exception if it fails authentication.</summary>
    public async Task<string> Sha256Async(string name, CancellationToken cancellation)
    {
        CheckName(name);
        await using var from = File.OpenRead(PathOf(name));
        return (await FileCipher.DecryptAsync(key, Context(name), from, Stream.Null, cancellation)).Sha256;
    }

    private string PathOf(string name) => Path.Combine(Directory, name + ".enc");

    /// <summary>
    /// An archived file is readable by every user of the location: two writers share it — the database's OS user
    /// (archive_command, umask 077) and the node copying what a location lacks — and a push of a segment the other
    /// wrote must read it to compare. The bytes are encrypted; reading them gives nothing without the key.
    /// </summary>
    private static void Share(string path)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static string Context(string name) => $"{DirectoryName}/{name}";

    // What PostgreSQL archives: segments (timeline, log, segment in hex), timeline histories, backup history files.
    private static void CheckName(string name)
    {
        if (!NamePattern().IsMatch(name)) throw new BackupException($"{name} is not a WAL file name");
    }

    [GeneratedRegex("^[0-9A-F]{8}(\\.history|[0-9A-F]{16}(\\.partial|\\.[0-9A-F]{8}\\.backup)?)$")]
    private static partial Regex NamePattern();
}
