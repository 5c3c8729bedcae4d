using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Akka;
using Akka.Actor;
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
/// state hashes (every symbol and the ledger).
/// Last line (contract): <c>restore: size=&lt;MB&gt; backup_s=&lt;s&gt; restore_s=&lt;s&gt; state_equal=true|false</c>.
/// </summary>
internal static class RestoreBenchmark
{
    private const string Token = "restore-bench-admin-token-0";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var events = options.Int("events", 1_000_000);
        var directory = RepositoryPaths.TempDirectory("bench-restore");
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(data);
        var symbols = Enumerable.Range(0, 100).Select(i => $"S{i:000}").ToArray();
        Console.WriteLine($"restore: journaling {events:N0} events on {symbols.Length} symbols...");
        await JournalAsync(Path.Combine(data, "journal.db"), symbols, events);

        var keyFile = Path.Combine(directory, "backup.key");
        await File.WriteAllTextAsync(keyFile, BackupKey.NewKeyText());
        var environment = new Dictionary<string, string> { ["Exchange__AdminToken"] = Token };
        var arguments = new[] { "--symbols", string.Join(',', symbols), "--backup-dir", "backups", "--backup-key-file", keyFile };
        var recovering = Stopwatch.StartNew();
        await using var original = await NodeProcess.StartAsync(directory, [.. arguments, "--data-dir", data], environment: environment,
            readyTimeout: TimeSpan.FromMinutes(10));
        Console.WriteLine($"restore: the original node recovered in {recovering.Elapsed.TotalSeconds:F1}s; waiting for settlement to catch up...");
        original.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var before = await SettledStateAsync(original);

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
        var equal = before.ToString() == after.ToString();
        Console.WriteLine(FormattableString.Invariant(
            $"restore: size={megabytes:F1} backup_s={backupSeconds:F2} restore_s={restoreSeconds:F2} state_equal={(equal ? "true" : "false")}"));
        return equal ? 0 : 1;
    }

    /// <summary>Random limit orders through the matching engine until <paramref name="events"/> events, journaled as each symbol's rows.</summary>
    private static async Task JournalAsync(string path, string[] symbols, int events)
    {
        using var system = ActorSystem.Create("bench", AkkaConfigs.SqliteSetup(path, "WARNING"));
        var writers = symbols.Select(s => system.ActorOf(SymbolRowWriter.Props(s), $"writer-{s}")).ToArray();
        var states = symbols.Select(s => new SymbolState(new InstrumentSpec(s))).ToArray();
        var random = new Random(42);
        var pending = new List<Task>();
        var buffer = new List<IBookEvent>();
        long written = 0, orders = 0;
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
    }

    private static async Task<JsonElement> SettledStateAsync(NodeProcess node)
    {
        // Settled when the ledger stops growing for a few seconds (every trade in the journal is settled once).
        var last = await StateAsync(node);
        var stableSince = DateTime.UtcNow;
        while (DateTime.UtcNow - stableSince < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(500);
            var now = await StateAsync(node);
            if (now.GetProperty("ledger").ToString() != last.GetProperty("ledger").ToString()) stableSince = DateTime.UtcNow;
            last = now;
        }
        return last;
    }

    private static async Task<JsonElement> StateAsync(NodeProcess node)
    {
        using var doc = JsonDocument.Parse(await node.Http.GetStringAsync("/admin/v1/state"));
        return doc.RootElement.Clone();
    }
}
