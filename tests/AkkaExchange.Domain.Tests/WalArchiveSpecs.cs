using AkkaExchange.Backup;

namespace AkkaExchange.Domain.Tests;

/// <summary>
/// The WAL archive PostgreSQL pushes into and a restoring server fetches from: files come back byte for byte; a
/// second push of a segment succeeds only with the same bytes; a changed, renamed or foreign file is refused; pruning
/// deletes exactly the segments before the oldest needed one (against a reference), and a restore's settings say
/// what PostgreSQL must read.
/// </summary>
public sealed class WalArchiveSpecs : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "akkaex-tests", $"wal-archive-{Guid.NewGuid():N}");
    private readonly BackupKey _key;

    public WalArchiveSpecs()
    {
        Directory.CreateDirectory(_dir);
        _key = Key("key");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_pushed_segment_is_fetched_byte_for_byte_and_a_second_push_succeeds_only_with_the_same_bytes()
    {
        var archive = new WalArchive(Path.Combine(_dir, "repo"), _key);
        var segment = Plain("seg", (3 << 20) + 5, seed: 1);
        await archive.PushAsync(segment, "000000010000000000000003", default);
        await archive.PushAsync(segment, "000000010000000000000003", default);
        var other = Plain("other", 100, seed: 2);
        var refused = await Assert.ThrowsAsync<BackupException>(() => archive.PushAsync(other, "000000010000000000000003", default));
        Assert.Contains("archived already", refused.Message);

        var fetched = Path.Combine(_dir, "fetched");
        Assert.True(await archive.FetchAsync("000000010000000000000003", fetched, default));
        Assert.Equal(await File.ReadAllBytesAsync(segment), await File.ReadAllBytesAsync(fetched));
        Assert.False(await archive.FetchAsync("000000010000000000000004", Path.Combine(_dir, "missing"), default));
        Assert.False(File.Exists(Path.Combine(_dir, "missing")));
        Assert.Equal(["000000010000000000000003"], archive.Names());
    }

    [Fact]
    public async Task A_changed_renamed_or_foreign_file_is_refused_and_nothing_is_written()
    {
        var root = Path.Combine(_dir, "repo");
        var archive = new WalArchive(root, _key);
        await archive.PushAsync(Plain("a", 70_000, seed: 3), "000000010000000000000007", default);
        await archive.PushAsync(Plain("b", 70_000, seed: 4), "000000010000000000000008", default);
        var target = Path.Combine(_dir, "target");

        var foreign = new WalArchive(root, Key("other-key"));
        Assert.Contains("fails authentication", (await Assert.ThrowsAsync<BackupException>(() => foreign.FetchAsync("000000010000000000000007", target, default))).Message);

        // A segment put in another's place (a restore would replay the wrong history).
        var wal = Path.Combine(root, WalArchive.DirectoryName);
        File.Copy(Path.Combine(wal, "000000010000000000000007.enc"), Path.Combine(wal, "000000010000000000000009.enc"));
        await Assert.ThrowsAsync<BackupException>(() => archive.FetchAsync("000000010000000000000009", target, default));

        var file = Path.Combine(wal, "000000010000000000000008.enc");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(file, bytes);
        await Assert.ThrowsAsync<BackupException>(() => archive.FetchAsync("000000010000000000000008", target, default));
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".fetching"));

        foreach (var bad in new[] { "../000000010000000000000007", "pg_wal", "00000001000000000000000g", "" })
            await Assert.ThrowsAsync<BackupException>(() => archive.FetchAsync(bad, target, default));
    }

    [Fact]
    public async Task Pruning_deletes_exactly_the_segments_before_the_oldest_needed_on_every_timeline()
    {
        var random = new Random(15);
        var plain = Plain("tiny", 10, seed: 5);
        for (var round = 0; round < 20; round++)
        {
            var archive = new WalArchive(Path.Combine(_dir, $"prune-{round}"), _key);
            var names = new SortedSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 30; i++)
            {
                var timeline = random.Next(1, 4);
                var segment = random.Next(0, 40);
                names.Add(random.Next(6) switch
                {
                    0 => $"{timeline:X8}.history",
                    1 => $"{timeline:X8}{segment / 16:X8}{segment % 16:X8}.00000028.backup",
                    _ => $"{timeline:X8}{segment / 16:X8}{segment % 16:X8}",
                });
            }
            foreach (var name in names) await archive.PushAsync(plain, name, default);
            var oldest = random.Next(0, 40);
            var oldestName = $"{random.Next(1, 4):X8}{oldest / 16:X8}{oldest % 16:X8}";

            // The reference: a history file stays; anything else stays iff its log and segment are not before the oldest's.
            var expected = names.Where(n => n.EndsWith(".history", StringComparison.Ordinal)
                || Convert.ToInt64(n[8..16], 16) * 16 + Convert.ToInt64(n[16..24], 16) >= oldest).ToArray();
            var deleted = archive.Prune(oldestName);
            Assert.Equal(expected, archive.Names());
            Assert.Equal(names.Count - expected.Length, deleted);
            Assert.Equal(0, archive.Prune(oldestName));
        }
    }

    [Fact]
    public async Task A_copy_takes_what_the_other_location_lacks_and_stays_readable_there()
    {
        var archive = new WalArchive(Path.Combine(_dir, "a"), _key);
        var copy = new WalArchive(Path.Combine(_dir, "b"), _key);
        var plain = Plain("seg", 5_000, seed: 6);
        await archive.PushAsync(plain, "000000010000000000000001", default);
        await copy.PushAsync(plain, "000000010000000000000001", default);
        await archive.PushAsync(plain, "000000010000000000000002", default);
        // As a writer with umask 077 leaves a file (the database's OS user).
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(archive.Directory, "000000010000000000000002.enc"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(1, archive.CopyTo(copy));
        Assert.Equal(0, archive.CopyTo(copy));
        // Two users write a location (the database's archive_command with umask 077, and the node's copies): each
        // must be able to read what the other wrote to compare a re-push.
        if (!OperatingSystem.IsWindows())
            foreach (var file in Directory.GetFiles(copy.Directory))
                Assert.True(File.GetUnixFileMode(file).HasFlag(UnixFileMode.OtherRead), $"{file} is not readable by the location's other user");
        Assert.True(await copy.FetchAsync("000000010000000000000002", Path.Combine(_dir, "out"), default));
        Assert.Equal(await File.ReadAllBytesAsync(plain), await File.ReadAllBytesAsync(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void A_restore_tells_the_server_where_the_wal_is_how_far_to_go_and_not_to_archive()
    {
        var manifest = new BackupManifest("20261202T150000000Z", 0, "postgres", "n1", [], new Dictionary<string, long>(),
            new PostgresBackupInfo(1, "0/2000028", "0/2000100", "000000010000000000000002", 0, "15"));
        var toEnd = PostgresRestore.RecoverySettings(manifest, null, "fetch '%f' \"%p\"");
        Assert.Contains("restore_command = 'fetch ''%f'' \"%p\"'\n", toEnd);
        Assert.Contains("archive_mode = 'off'\n", toEnd);
        Assert.DoesNotContain("recovery_target", toEnd);

        var at = new DateTimeOffset(2026, 12, 2, 16, 30, 1, 250, TimeSpan.FromHours(2)).AddTicks(4560);
        var toMoment = PostgresRestore.RecoverySettings(manifest, at, "fetch %f %p");
        Assert.Contains("recovery_target_time = '2026-12-02 14:30:01.250456+00'\n", toMoment);
        Assert.Contains("recovery_target_action = 'promote'\n", toMoment);
    }

    [Fact]
    public async Task A_restore_refuses_a_moment_before_the_backup_completed_a_used_directory_and_an_embedded_backup()
    {
        var repo = new BackupRepository(Path.Combine(_dir, "repo"), _key);
        var completed = DateTimeOffset.UtcNow;
        var files = PostgresRestore.Files.Select(f => (f, Plain(f, 10, seed: 7))).ToArray();
        var manifest = await repo.WriteAsync("20261202T150000000Z", completed, "postgres", "n1", files, new Dictionary<string, long>(), default,
            new PostgresBackupInfo(1, "0/2000028", "0/2000100", "000000010000000000000002", completed.ToUnixTimeMilliseconds(), "15"));
        var target = Path.Combine(_dir, "restored");

        var early = await Assert.ThrowsAsync<BackupException>(() => PostgresRestore.RestoreAsync(repo, manifest, target, completed.AddSeconds(-1), "x", default));
        Assert.Contains("restore an older backup", early.Message);
        Assert.False(Directory.Exists(target));

        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "PG_VERSION"), "15");
        var used = await Assert.ThrowsAsync<BackupException>(() => PostgresRestore.RestoreAsync(repo, manifest, target, null, "x", default));
        Assert.Contains("not empty", used.Message);
        Assert.Equal(["PG_VERSION"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));

        var embedded = manifest with { Kind = "sqlite", Postgres = null };
        Assert.Contains("not a PostgreSQL base backup", (await Assert.ThrowsAsync<BackupException>(() =>
            PostgresRestore.RestoreAsync(repo, embedded, Path.Combine(_dir, "other"), null, "x", default))).Message);
    }

    private BackupKey Key(string name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, BackupKey.NewKeyText());
        return BackupKey.Load(path);
    }

    private string Plain(string name, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(_dir, $"plain-{name}-{seed}");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
