using System.Net.Http.Headers;
using System.Text.Json;
using AkkaExchange.Backup;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// The restore drill on an embedded node, through the CLI as an operator runs it: trade, take a backup, keep trading,
/// restore the copy in the second location (a directory, or an S3 bucket) into a new data directory, start a node on
/// it, and compare state hashes with the original's at the backup; a tampered backup is refused; retention keeps
/// what it should.
/// </summary>
[Collection(LocalS3.Collection)]
public sealed class BackupDrillSpecs
{
    private const string Token = "backup-drill-admin-token-01";

    [Theory]
    [InlineData("directory")]
    [InlineData("bucket")]
    public async Task A_restored_node_equals_the_original_at_its_backup_and_a_tampered_backup_is_refused(string secondLocation)
    {
        var dir = RepositoryPaths.TempDirectory("backup-drill");
        var keyFile = Path.Combine(dir, "backup.key");
        await File.WriteAllTextAsync(keyFile, BackupKey.NewKeyText());
        // The node, the CLI and this spec reach the bucket through the AWS SDK's variables.
        await using var s3 = secondLocation == "bucket" ? await LocalS3.StartAsync() : null;
        s3?.UseHere();
        var copies = s3 is null ? Path.Combine(dir, "region-b-bucket") : $"s3://{LocalS3.Bucket}/region-b";
        var environment = new Dictionary<string, string> { ["Exchange__AdminToken"] = Token };
        await using var original = await NodeProcess.StartAsync(dir, ["--data-dir", "data", "--symbols", "AAPL,MSFT,TSLA",
            "--backup-dir", "backups", "--backup-key-file", keyFile, "--backup-copy-dir", copies, "--backup-keep-hourly", "1", "--backup-keep-daily", "1"],
            environment: environment);
        original.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var url = original.BaseAddress.ToString();

        for (var i = 0; i < 20; i++)
        {
            await ExchangeCalls.PlaceAsync(original, "BD001-C001", $"s{i}", i % 2 == 0 ? "AAPL" : "MSFT", "sell", "100.00");
            await ExchangeCalls.PlaceAsync(original, "BD002-C001", $"b{i}", i % 2 == 0 ? "AAPL" : "MSFT", "buy", "100.00");
        }
        var atBackup = await ExchangeCalls.SettledStateAsync(original, settlements: 40);
        var first = await CliAsync(url, "backup", "create");
        var backup = await CliAsync(url, "backup", "create");
        Assert.NotEqual(first.GetProperty("id").GetString(), backup.GetProperty("id").GetString());
        var id = backup.GetProperty("id").GetString()!;
        Assert.Equal(["journal.db", "ledger.db"], backup.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()));

        // Trading goes on after the backup.
        await ExchangeCalls.PlaceAsync(original, "BD003-C001", "later-1", "TSLA", "sell", "20.00");
        Assert.NotEqual(atBackup.ToString(), (await ExchangeCalls.StateAsync(original)).ToString());

        // Retention (newest of the last hour and day): the first backup is gone, here and in the copy.
        Assert.Equal([id], (await CliArrayAsync(url, "backup", "list")).Select(b => b.GetProperty("id").GetString()));
        if (s3 is null)
        {
            Assert.Equal([id], Directory.GetDirectories(copies).Select(Path.GetFileName));
        }
        else
        {
            using var bucket = new BackupBucket(copies, BackupKey.Load(keyFile));
            Assert.Equal([id], await bucket.IdsAsync(default));
        }

        // Restore the copy (the other region's) into a new data directory; a node started on it stands where the
        // original stood at the backup.
        var restored = Path.Combine(dir, "restored");
        var (code, _, error) = await CliSpecs.RunAsync(["restore", "--from", copies, "--id", "latest", "--to", restored, "--key-file", keyFile]);
        Assert.True(code == 0, error);
        await using var replica = await NodeProcess.StartAsync(dir, ["--data-dir", restored, "--symbols", "AAPL,MSFT,TSLA"], environment: environment);
        replica.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(atBackup.ToString(), (await ExchangeCalls.StateAsync(replica)).ToString());

        // A changed object in the bucket is BackupBucketSpecs' (the same checks run on what comes back from it).
        if (s3 is not null) return;
        // One changed byte in the backup: verify says why, restore refuses and writes nothing.
        var file = Path.Combine(copies, id, "journal.db.enc");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 1;
        await File.WriteAllBytesAsync(file, bytes);
        var (refused, _, why) = await CliSpecs.RunAsync(["restore", "--from", copies, "--id", id, "--to", Path.Combine(dir, "tampered"), "--key-file", keyFile]);
        Assert.Equal(1, refused);
        Assert.Contains("fails authentication", why);
        Assert.False(File.Exists(Path.Combine(dir, "tampered", "journal.db")));
        // The node's own copy is untouched and verifies.
        Assert.Equal(id, (await CliAsync(url, "backup", "verify", id)).GetProperty("id").GetString());
    }

    private static async Task<JsonElement> CliAsync(string url, params string[] command)
    {
        var (code, stdout, stderr) = await CliSpecs.RunAsync([.. command, "--json", "--url", url, "--key", Token]);
        Assert.True(code == 0, $"akkaex {string.Join(' ', command)} exited {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    private static async Task<JsonElement[]> CliArrayAsync(string url, params string[] command)
    {
        var answer = await CliAsync(url, command);
        return answer.ValueKind == JsonValueKind.Array ? [.. answer.EnumerateArray()] : [answer];
    }
}
