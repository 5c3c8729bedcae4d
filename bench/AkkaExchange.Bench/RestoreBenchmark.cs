using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Akka;
using Akka.Actor;
using Akka.Actor.Setup;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Backup;
using AkkaExchange.Messages;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Bench;

/// <summary>
/// Backup and restore of an embedded node with a journal of <c>--events</c> book events (default 1,000,000; made by
/// the matching engine from random orders on 100 symbols and journaled as the symbols' own rows): a node recovers it
/// and settles its trades, a backup is taken through the admin API, restored into a new data directory (decrypting
/// and checking every byte, as <c>akkaex restore</c> does), and a second node started on it must answer the same
/// state hashes (every symbol and the ledger). With <c>--journal postgres</c> the same on a cluster node over a
/// throwaway PostgreSQL that archives its WAL through the CLI: the backup is a base backup, and restore_s runs from
/// <c>akkaex restore</c> until the restored server has replayed the archive and takes writes.
/// Last line (contract): <c>restore: size=&lt;MB&gt; backup_s=&lt;s&gt; restore_s=&lt;s&gt; state_equal=true|false</c>.
/// </summary>
internal static class RestoreBenchmark
{
    private const string Token = "restore-bench-admin-token-0";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        if (options.Text("journal", "sqlite") == "postgres") return await PostgresAsync(options);
        var events = options.Int("events", 1_000_000);
        var directory = RepositoryPaths.TempDirectory("bench-restore");
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(data);
        var symbols = Enumerable.Range(0, 100).Select(i => $"S{i:000}").ToArray();
        Console.WriteLine($"restore: journaling {events:N0} events on {symbols.Length} symbols...");
        var trades = await JournalAsync(AkkaConfigs.SqliteSetup(Path.Combine(data, "journal.db"), "WARNING"), symbols, events);

        var keyFile = Path.Combine(directory, "backup.key");
        await File.WriteAllTextAsync(keyFile, BackupKey.NewKeyText());
        var environment = new Dictionary<string, string> { ["Exchange__AdminToken"] = Token };
        var arguments = new[] { "--symbols", string.Join(',', symbols), "--backup-dir", "backups", "--backup-key-file", keyFile };
        var recovering = Stopwatch.StartNew();
        await using var original = await NodeProcess.StartAsync(directory, [.. arguments, "--data-dir", data], environment: environment,
            readyTimeout: TimeSpan.FromMinutes(10));
        Console.WriteLine($"restore: the original node recovered in {recovering.Elapsed.TotalSeconds:F1}s; waiting for settlement to catch up...");
        original.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var before = await SettledStateAsync(original, trades,
            async () => (await StateAsync(original)).GetProperty("ledger").GetProperty("settlements").GetInt64());

        var backupTimer = Stopwatch.StartNew();
        using var created = await original.Http.PostAsync("/admin/v1/backups", null);
        created.EnsureSuccessStatusCode();
        var backupSeconds = backupTimer.Elapsed.TotalSeconds;
        using var manifest = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = manifest.RootElement.GetProperty("id").GetString()!;
        var repository = new BackupRepository(Path.Combine(directory, "backups"), BackupKey.Load(keyFile));
        var megabytes = Directory.GetFiles(Path.Combine(repository.Root, id)).Sum(f => new FileInfo(f).Length) / 1e6;

        var restored = Path.Combine(directory, "restored");
        var restoreTimer = Stopwatch.StartNew();
        await repository.RestoreAsync(id, restored, CancellationToken.None);
        var restoreSeconds = restoreTimer.Elapsed.TotalSeconds;
        var starting = Stopwatch.StartNew();
        await using var replica = await NodeProcess.StartAsync(directory, [.. arguments, "--data-dir", restored], environment: environment,
            readyTimeout: TimeSpan.FromMinutes(10));
        replica.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var after = await StateAsync(replica);
        Console.WriteLine($"restore: the restored node was ready {starting.Elapsed.TotalSeconds:F1}s after its start (recovery of the journal included)");
        return Report(megabytes, backupSeconds, restoreSeconds, before, after);
    }

    private static int Report(double megabytes, double backupSeconds, double restoreSeconds, JsonElement before, JsonElement after)
    {
        var equal = before.ToString() == after.ToString();
        if (!equal)
        {
            // What differs, for whoever reads a false.
            var was = before.GetProperty("symbols").EnumerateArray().ToDictionary(e => e.GetProperty("symbol").GetString()!, e => e.ToString());
            foreach (var symbol in after.GetProperty("symbols").EnumerateArray().Where(e => was.GetValueOrDefault(e.GetProperty("symbol").GetString()!) != e.ToString()).Take(5))
                Console.WriteLine($"restore: differs: {symbol} (was {was.GetValueOrDefault(symbol.GetProperty("symbol").GetString()!)})");
            Console.WriteLine($"restore: ledger was {before.GetProperty("ledger")}, is {after.GetProperty("ledger")}");
        }
        Console.WriteLine(FormattableString.Invariant(
            $"restore: size={megabytes:F1} backup_s={backupSeconds:F2} restore_s={restoreSeconds:F2} state_equal={(equal ? "true" : "false")}"));
        return equal ? 0 : 1;
    }

    private static async Task<int> PostgresAsync(BenchOptions options)
    {
        var events = options.Int("events", 1_000_000);
        var directory = RepositoryPaths.TempDirectory("bench-restore-pg");
        var symbols = Enumerable.Range(0, 100).Select(i => $"S{i:000}").ToArray();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var cli = DatabaseHost.InstallCli(Path.Combine(RepositoryPaths.Root, "src", "Cli", "bin", configuration, "net10.0", "AkkaExchange.Cli.dll"),
            Path.Combine(directory, "cli"));
        var backups = Directory.CreateDirectory(Path.Combine(directory, "backups", WalArchive.DirectoryName)).Parent!.FullName;
        var keyFile = Path.Combine(directory, "backup.key");
        await File.WriteAllTextAsync(keyFile, BackupKey.NewKeyText());
        await DatabaseHost.GiveToDatabaseUserAsync(backups);
        await DatabaseHost.GiveToDatabaseUserAsync(keyFile);
        await using var database = new DatabaseHost(Path.Combine(directory, "db"), cli);
        await database.StartAsync(archiveTo: [backups], keyFile: keyFile);
        Console.WriteLine($"restore: journaling {events:N0} events on {symbols.Length} symbols into PostgreSQL...");
        var trades = await JournalAsync(ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(AkkaConfigs.Postgres(database.Connection, "public", "WARNING"))), symbols, events);

        JsonElement before;
        double backupSeconds, megabytes;
        string id;
        var recovering = Stopwatch.StartNew();
        await using (var original = await NodeProcess.StartClusterAsync(directory, "original", database.Connection, string.Join(',', symbols), Token,
                         ["--backup-dir", backups, "--backup-key-file", keyFile], TimeSpan.FromMinutes(10)))
        {
            Console.WriteLine($"restore: the original node recovered in {recovering.Elapsed.TotalSeconds:F1}s; waiting for settlement to catch up...");
            before = await SettledStateAsync(original, trades, () => database.ScalarAsync<long>("SELECT count(*) FROM settlements"));
            var backupTimer = Stopwatch.StartNew();
            using var created = await original.Http.PostAsync("/admin/v1/backups", null);
            created.EnsureSuccessStatusCode();
            backupSeconds = backupTimer.Elapsed.TotalSeconds;
            using var manifest = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            id = manifest.RootElement.GetProperty("id").GetString()!;
            megabytes = Directory.GetFiles(Path.Combine(backups, id)).Sum(f => new FileInfo(f).Length) / 1e6;
            await database.ArchiveNowAsync();
        }
        await database.StopAsync();

        // As an operator restores: the CLI writes the data directory, the server replays the archive and promotes.
        await using var restored = new DatabaseHost(Path.Combine(directory, "restored"), cli);
        var restoreTimer = Stopwatch.StartNew();
        var (code, _, error) = await ChildProcess.RunAsync(DatabaseHost.Dotnet, [cli, "restore", "--from", backups, "--id", id, "--to", restored.DataDirectory, "--key-file", keyFile]);
        if (code != 0) throw new InvalidOperationException($"akkaex restore exited {code}: {error}");
        await restored.StartAsync();
        await restored.WaitPromotedAsync();
        var restoreSeconds = restoreTimer.Elapsed.TotalSeconds;
        var starting = Stopwatch.StartNew();
        await using var replica = await NodeProcess.StartClusterAsync(directory, "replica", restored.Connection, string.Join(',', symbols), Token, [], TimeSpan.FromMinutes(10));
        var after = await StateAsync(replica);
        Console.WriteLine($"restore: the node on the restored database was ready {starting.Elapsed.TotalSeconds:F1}s after its start (recovery of the journal included)");
        return Report(megabytes, backupSeconds, restoreSeconds, before, after);
    }

    /// <summary>
    /// Random limit orders through the matching engine until <paramref name="events"/> events, journaled as each
    /// symbol's rows; returns how many trades they hold (each settles as two notices).
    /// </summary>
    private static async Task<long> JournalAsync(ActorSystemSetup setup, string[] symbols, int events)
    {
        using var system = ActorSystem.Create("bench", setup);
        var writers = symbols.Select(s => system.ActorOf(SymbolRowWriter.Props(s), $"writer-{s}")).ToArray();
        var states = symbols.Select(s => new SymbolState(new InstrumentSpec(s))).ToArray();
        var random = new Random(42);
        var pending = new List<Task>();
        var buffer = new List<IBookEvent>();
        long written = 0, orders = 0, trades = 0;
        while (written < events)
        {
            // A row per symbol of about a hundred events, as a busy symbol writes them.
            for (var i = 0; i < symbols.Length && written < events; i++)
            {
                var state = states[i];
                var row = new List<IBookEvent>();
                var first = state.Sequence + 1;
                while (row.Count < 100)
                {
                    buffer.Clear();
                    var side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
                    var price = 10_000 + random.Next(-20, 21) + (side == Side.Buy ? -3 : 3);
                    var command = new PlaceOrder(symbols[i], $"BD{random.Next(100):000}-C{random.Next(100):000}", $"o{orders++}", side, OrderType.Limit,
                        price, 1 + random.Next(100), TimeInForce.Gtc, false);
                    SymbolLogic.Decide(state, command, 1_800_000_000_000_000 + orders, buffer);
                    foreach (var e in buffer) state.Apply(e);
                    trades += buffer.Count(e => e is TradeExecuted);
                    row.AddRange(buffer);
                }
                pending.Add(writers[i].Ask<Done>(new SymbolEvents(first, row), TimeSpan.FromMinutes(5)));
                // The first row alone: the journal creates its tables on the first write.
                if (written == 0) await Task.WhenAll(pending);
                written += row.Count;
            }
            await Task.WhenAll(pending);
            pending.Clear();
        }
        await system.Terminate();
        return trades;
    }

    /// <summary>
    /// The state once every trade in the journal has its two notices (settlement may start only once its singleton
    /// holds the lease) and the ledger has stayed still for a few seconds. <paramref name="notices"/> counts them
    /// cheaply (the state's ledger hash reads every row: polled, it would slow the settlement it waits for).
    /// </summary>
    private static async Task<JsonElement> SettledStateAsync(NodeProcess node, long trades, Func<Task<long>> notices)
    {
        long last;
        var stableSince = DateTime.UtcNow;
        for (last = await notices(); last < 2 * trades || DateTime.UtcNow - stableSince < TimeSpan.FromSeconds(5);)
        {
            await Task.Delay(1000);
            var now = await notices();
            if (now != last) stableSince = DateTime.UtcNow;
            last = now;
        }
        return await StateAsync(node);
    }

    private static async Task<JsonElement> StateAsync(NodeProcess node)
    {
        // Hashing a ledger of millions of rows takes longer than the node client's 30 s.
        using var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = node.Http.DefaultRequestHeaders.Authorization;
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/admin/v1/state"));
        return doc.RootElement.Clone();
    }
}
