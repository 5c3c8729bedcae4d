using System.Text.Json;
using AkkaExchange.Backup;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// The restore drill on PostgreSQL (cluster mode), as an operator runs it: the database archives its WAL through the
/// CLI into two locations, the node takes base backups (retention keeps the newest and the WAL it needs), trading goes
/// on, and restores — to a moment between two batches of trades from the second location, and to the end of the
/// archive — each give a database on which a new node answers the original's state at that moment.
/// </summary>
public sealed class PostgresBackupDrillSpecs
{
    private const string Token = "pg-backup-drill-admin-token-1";
    private const string Symbols = "AAPL,MSFT,TSLA";

    [Fact]
    public async Task A_restore_to_a_point_in_time_and_to_the_end_of_the_archive_equals_the_original_then()
    {
        var dir = RepositoryPaths.TempDirectory("pg-backup-drill");
        var cli = DatabaseHost.InstallCli(CliSpecs.CliDll, Path.Combine(dir, "cli"));
        var backups = Directory.CreateDirectory(Path.Combine(dir, "backups", WalArchive.DirectoryName)).Parent!.FullName;
        // The second location: the other region's bucket.
        var copies = Directory.CreateDirectory(Path.Combine(dir, "region-b-bucket", WalArchive.DirectoryName)).Parent!.FullName;
        var keyFile = Path.Combine(dir, "backup.key");
        await File.WriteAllTextAsync(keyFile, BackupKey.NewKeyText());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await DatabaseHost.GiveToDatabaseUserAsync(backups);
        await DatabaseHost.GiveToDatabaseUserAsync(copies);
        await DatabaseHost.GiveToDatabaseUserAsync(keyFile);

        await using var database = new DatabaseHost(Path.Combine(dir, "db"), cli);
        await database.StartAsync(archiveTo: [backups, copies], keyFile: keyFile);
        JsonElement atMoment, atEnd;
        DateTimeOffset moment;
        await using (var original = await NodeProcess.StartClusterAsync(dir, "original", database.Connection, Symbols, Token,
                         ["--backup-dir", backups, "--backup-key-file", keyFile, "--backup-copy-dir", copies, "--backup-keep-hourly", "1", "--backup-keep-daily", "1"]))
        {
            await TradeAsync(original, "AAPL", "first", 10);
            await ExchangeCalls.SettledStateAsync(original, settlements: 20);
            var first = await BackupAsync(original);
            await TradeAsync(original, "MSFT", "second", 10);
            await ExchangeCalls.SettledStateAsync(original, settlements: 40);
            await database.ArchiveNowAsync();
            Assert.Contains(first, new WalArchive(copies, BackupKey.Load(keyFile)).Names());
            var second = await BackupAsync(original);

            // Retention (the newest of the hour and day): the first backup went, and with it the WAL only it needed — in both locations.
            foreach (var location in new[] { backups, copies })
            {
                var repository = new BackupRepository(location, BackupKey.Load(keyFile));
                Assert.Single(repository.List());
                var segments = repository.Wal.Names().Where(n => n.Length == 24).ToArray();
                Assert.DoesNotContain(first, segments);
                Assert.All(segments, n => Assert.True(string.CompareOrdinal(n[8..], second[8..]) >= 0, $"{n} is older than {second}"));
            }

            var (listed, table, listError) = await CliSpecs.RunAsync(["backup", "list", "--url", original.BaseAddress.ToString(), "--key", Token]);
            Assert.True(listed == 0, listError);
            Assert.Contains("WAL archive:", table);

            // After the backup: a batch, the moment, another batch. Commit times are what a point in time divides.
            await TradeAsync(original, "TSLA", "third", 10);
            atMoment = await ExchangeCalls.SettledStateAsync(original, settlements: 60);
            await Task.Delay(1000);
            moment = new DateTimeOffset(DateTime.SpecifyKind(await database.ScalarAsync<DateTime>("SELECT clock_timestamp()"), DateTimeKind.Utc));
            await Task.Delay(1000);
            await TradeAsync(original, "AAPL", "fourth", 10);
            atEnd = await ExchangeCalls.SettledStateAsync(original, settlements: 80);
            Assert.NotEqual(atMoment.ToString(), atEnd.ToString());
            await database.ArchiveNowAsync();
        }
        await database.StopAsync();

        // To the moment, from the second location: the third batch is there, the fourth is not.
        Assert.Equal(atMoment.ToString(), await RestoreAndReadStateAsync(dir, "to-moment", cli, copies, keyFile, ["--point-in-time", moment.ToString("O")]));
        // To the end of the archive: everything.
        Assert.Equal(atEnd.ToString(), await RestoreAndReadStateAsync(dir, "to-end", cli, backups, keyFile, []));

        // A moment before the backup completed is refused with the reason, and nothing is written.
        var early = Path.Combine(dir, "too-early");
        var (refused, _, why) = await ChildProcess.RunAsync(DatabaseHost.Dotnet, [cli, "restore", "--from", backups, "--id", "latest", "--to", Path.Combine(early, "pg"),
            "--key-file", keyFile, "--point-in-time", moment.AddHours(-1).ToString("O")]);
        Assert.Equal(1, refused);
        Assert.Contains("no PostgreSQL backup", why);
        Assert.False(Directory.Exists(Path.Combine(early, "pg")));

        // An archived segment with one changed byte: the restoring server's fetch fails in the way that stops recovery.
        var segment = new WalArchive(backups, BackupKey.Load(keyFile)).Names().First(n => n.Length == 24);
        var archived = Path.Combine(backups, WalArchive.DirectoryName, segment + ".enc");
        var bytes = await File.ReadAllBytesAsync(archived);
        bytes[bytes.Length / 2] ^= 1;
        await File.WriteAllBytesAsync(archived, bytes);
        var (fetch, _, fetchError) = await ChildProcess.RunAsync(DatabaseHost.Dotnet, [cli, "backup", "wal-fetch", segment, Path.Combine(dir, "fetched"), "--from", backups, "--key-file", keyFile]);
        Assert.Equal(126, fetch);
        Assert.Contains("fails authentication", fetchError);
        Assert.False(File.Exists(Path.Combine(dir, "fetched")));
    }

    /// <summary>Takes a base backup through the CLI; returns its first WAL segment.</summary>
    private static async Task<string> BackupAsync(NodeProcess node)
    {
        var (code, stdout, error) = await CliSpecs.RunAsync(["backup", "create", "--json", "--url", node.BaseAddress.ToString(), "--key", Token]);
        Assert.True(code == 0, error);
        using var manifest = JsonDocument.Parse(stdout);
        Assert.Equal("postgres", manifest.RootElement.GetProperty("kind").GetString());
        Assert.Equal(PostgresRestore.Files, manifest.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var start = manifest.RootElement.GetProperty("postgres").GetProperty("startWalFile").GetString()!;
        Assert.Matches("^[0-9A-F]{24}$", start);
        return start;
    }

    /// <summary>Restores with the CLI installed on the database host, starts a server and a new node on it, and returns the node's state.</summary>
    private static async Task<string> RestoreAndReadStateAsync(string dir, string name, string cli, string backups, string keyFile, string[] options)
    {
        var host = Path.Combine(dir, name);
        await using var database = new DatabaseHost(host, cli);
        var (code, _, error) = await ChildProcess.RunAsync(DatabaseHost.Dotnet,
            [cli, "restore", "--from", backups, "--id", "latest", "--to", database.DataDirectory, "--key-file", keyFile, .. options], timeout: TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"restore exited {code}: {error}");
        await database.StartAsync();
        await database.WaitPromotedAsync();
        await using var node = await NodeProcess.StartClusterAsync(dir, name, database.Connection, Symbols, Token, []);
        return (await ExchangeCalls.StateAsync(node)).ToString();
    }

    /// <summary><paramref name="count"/> crossing pairs on one symbol: <paramref name="count"/> trades, two settlement notices each.</summary>
    private static async Task TradeAsync(NodeProcess node, string symbol, string batch, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await ExchangeCalls.PlaceAsync(node, "PB001-C001", $"{batch}-s{i}", symbol, "sell", "50.00");
            await ExchangeCalls.PlaceAsync(node, "PB002-C001", $"{batch}-b{i}", symbol, "buy", "50.00");
        }
    }
}
