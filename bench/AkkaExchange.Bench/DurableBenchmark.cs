using System.Diagnostics;
using Akka.Actor;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Diagnostics;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Bench;

/// <summary>
/// Orders through 100 symbol entities (Akka persistent actors on Akka.Persistence.Sql) in one process, each
/// acknowledged only after its journal commit, from <c>--clients</c> concurrent clients (closed loop: each sends its
/// next order when the previous is answered). Then a full recovery from the journal (no snapshots) is timed. Last
/// line (a contract): <c>durable: &lt;N&gt; orders/s p50=&lt;X&gt;ms p99=&lt;Y&gt;ms journal=&lt;name&gt;</c>.
/// </summary>
internal static class DurableBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var seconds = options.Int("seconds", 10);
        var clients = options.Int("clients", 2_000);
        var journalName = options.Text("journal", "sqlite");
        var directory = RepositoryPaths.TempDirectory("bench-durable");
        var (config, _, _) = await BenchJournals.CreateAsync(journalName, directory);
        var instruments = Enumerable.Range(0, 100).Select(i => new InstrumentSpec($"S{i:000}")).ToArray();
        // No snapshots: the recovery measured below replays every event.
        var settings = new SymbolSettings(SnapshotInterval: int.MaxValue);
        Console.WriteLine($"durable: {instruments.Length} symbols, {clients} clients, journal {journalName}, warm-up 2s then {seconds}s");

        var histogram = new LatencyHistogram();
        long completed = 0;
        using (var system = ActorSystem.Create("bench", config))
        {
            var symbols = await StartAsync(system, instruments, settings);
            var measuring = false;
            var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c, symbols, instruments, histogram, () => measuring,
                () => Interlocked.Increment(ref completed), stop.Token))).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(2));
            lock (histogram) histogram.Reset();
            Interlocked.Exchange(ref completed, 0);
            measuring = true;
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            measuring = false;
            var elapsed = Stopwatch.GetElapsedTime(started);
            var orders = Interlocked.Read(ref completed);
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            completed = (long)(orders / elapsed.TotalSeconds);
            Console.WriteLine($"  orders acknowledged {orders:N0} in {elapsed.TotalSeconds:F2}s");
            Console.WriteLine($"  latency ms: p50={Ms(histogram.Percentile(50))} p90={Ms(histogram.Percentile(90))} p99={Ms(histogram.Percentile(99))} p99.9={Ms(histogram.Percentile(99.9))} max={Ms(histogram.Max)}");
            await system.Terminate();
        }

        // A new process's view: a fresh actor system recovers every symbol from the journal.
        var recoveryStart = Stopwatch.GetTimestamp();
        long replayed;
        using (var system = ActorSystem.Create("bench", config))
        {
            var symbols = await StartAsync(system, instruments, settings);
            var states = await Task.WhenAll(symbols.Values.Select(s => s.Ask<SymbolStateReport>(new GetSymbolState(""), TimeSpan.FromMinutes(10))));
            replayed = states.Sum(s => s.Sequence);
            var recovery = Stopwatch.GetElapsedTime(recoveryStart);
            Console.WriteLine($"  recovery: {replayed:N0} events replayed into {instruments.Length} symbols in {recovery.TotalSeconds:F2}s = {(long)(replayed / recovery.TotalSeconds):N0} events/s");
            await system.Terminate();
        }
        Console.WriteLine($"durable: {completed} orders/s p50={Ms(histogram.Percentile(50))}ms p99={Ms(histogram.Percentile(99))}ms journal={journalName}");
        return 0;
    }

    private static async Task<Dictionary<string, IActorRef>> StartAsync(ActorSystem system, InstrumentSpec[] instruments, SymbolSettings settings)
    {
        // Market data goes nowhere here: the benchmark measures the order path.
        var sink = system.ActorOf(Props.Empty, "market-data");
        var symbols = instruments.ToDictionary(i => i.Symbol, i => system.ActorOf(SymbolEntity.Props(i, settings, sink, TimeProvider.System), i.Symbol));
        await Task.CompletedTask;
        return symbols;
    }

    private static string Ms(long micros) => (micros / 1000.0).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task ClientAsync(int client, Dictionary<string, IActorRef> symbols, InstrumentSpec[] instruments, LatencyHistogram histogram,
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
            await symbols[command.Symbol].Ask<object>(command, timeout);
            if (!measuring()) continue;
            local.Record((long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
            count();
        }
        lock (histogram) histogram.Add(local);
    }
}
