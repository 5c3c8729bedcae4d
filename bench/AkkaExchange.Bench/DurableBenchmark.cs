using System.Diagnostics;
using AkkaExchange.Actors.Diagnostics;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Bench;

/// <summary>
/// Orders through the 100 symbol actors in-process, each acknowledged only after its group commit, from
/// <c>--clients</c> concurrent clients (closed loop: each sends its next order when the previous is answered).
/// Then a full recovery from the journal (no snapshots) is timed. Last line (a contract):
/// <c>durable: &lt;N&gt; orders/s p50=&lt;X&gt;ms p99=&lt;Y&gt;ms journal=&lt;name&gt;</c>.
/// </summary>
internal static class DurableBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var seconds = options.Int("seconds", 10);
        var clients = options.Int("clients", 2_000);
        var journalName = options.Text("journal", "sqlite");
        var directory = RepositoryPaths.TempDirectory("bench-durable");
        var journals = await BenchJournals.CreateAsync(journalName, directory);
        var instruments = Enumerable.Range(0, 100).Select(i => new InstrumentSpec($"S{i:000}")).ToArray();
        // No snapshots: the recovery measured below replays every event.
        var settings = new SymbolActorSettings("bench", SnapshotInterval: int.MaxValue);
        Console.WriteLine($"durable: {instruments.Length} symbols, {clients} clients, journal {journalName}, warm-up 2s then {seconds}s");

        var exchange = new LocalExchange(journals(), instruments, settings);
        await exchange.StartAsync();
        var histogram = new LatencyHistogram();
        var measuring = false;
        long completed = 0;
        var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c, exchange, instruments, histogram, () => measuring,
            () => Interlocked.Increment(ref completed), stop.Token))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (commits0, entries0) = exchange.Committed;
        var busy0 = exchange.JournalBusyTime;
        lock (histogram) histogram.Reset();
        Interlocked.Exchange(ref completed, 0);
        measuring = true;
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        measuring = false;
        var elapsed = Stopwatch.GetElapsedTime(started);
        var orders = Interlocked.Read(ref completed);
        var (commits1, entries1) = exchange.Committed;
        var busy = exchange.JournalBusyTime - busy0;
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        await exchange.DisposeAsync();

        var rate = (long)(orders / elapsed.TotalSeconds);
        var commits = commits1 - commits0;
        Console.WriteLine($"  orders acknowledged {orders:N0} in {elapsed.TotalSeconds:F2}s; {entries1 - entries0:N0} events in {commits:N0} commits ({(entries1 - entries0) / Math.Max(1.0, commits):F0} per commit); journal writer busy {busy.TotalSeconds / elapsed.TotalSeconds:P0} of the time");
        Console.WriteLine($"  latency ms: p50={Ms(histogram.Percentile(50))} p90={Ms(histogram.Percentile(90))} p99={Ms(histogram.Percentile(99))} p99.9={Ms(histogram.Percentile(99.9))} max={Ms(histogram.Max)}");

        var replayedBefore = RecoveryStats.EventsReplayed;
        var recoveryStart = Stopwatch.GetTimestamp();
        await using (var recovered = new LocalExchange(journals(), instruments, settings)) await recovered.StartAsync();
        var recovery = Stopwatch.GetElapsedTime(recoveryStart);
        var replayed = RecoveryStats.EventsReplayed - replayedBefore;
        Console.WriteLine($"  recovery: {replayed:N0} events replayed into {instruments.Length} symbols in {recovery.TotalSeconds:F2}s = {(long)(replayed / recovery.TotalSeconds):N0} events/s");
        Console.WriteLine($"durable: {rate} orders/s p50={Ms(histogram.Percentile(50))}ms p99={Ms(histogram.Percentile(99))}ms journal={journalName}");
        return 0;
    }

    private static string Ms(long micros) => (micros / 1000.0).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task ClientAsync(int client, LocalExchange exchange, InstrumentSpec[] instruments, LatencyHistogram histogram,
        Func<bool> measuring, Action count, CancellationToken stop)
    {
        var rng = new Random(client);
        var account = $"BD{client / 100 % 100:000}-C{client % 100:000}";
        var resting = new Queue<(string Symbol, string Id)>();
        var local = new LatencyHistogram();
        var timeout = TimeSpan.FromSeconds(30);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            IWithSymbol command;
            if (resting.Count > 4 && rng.Next(100) < 20)
            {
                var (symbol, id) = resting.Dequeue();
                command = new CancelClientOrder(symbol, account, id);
            }
            else
            {
                var symbol = instruments[rng.Next(instruments.Length)].Symbol;
                var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
                var price = 10_000 + (side == Side.Buy ? -1 : 1) * rng.Next(-3, 6);
                var tif = rng.Next(10) == 0 ? TimeInForce.Ioc : TimeInForce.Gtc;
                var id = $"{client}-{i}";
                command = new PlaceOrder(symbol, account, id, side, OrderType.Limit, price, rng.Next(1, 100), tif, false);
                if (tif == TimeInForce.Gtc) resting.Enqueue((symbol, id));
            }
            var t0 = Stopwatch.GetTimestamp();
            await exchange.AskAsync(command, timeout);
            if (!measuring()) continue;
            local.Record((long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            count();
        }
        lock (histogram) histogram.Add(local);
    }
}
