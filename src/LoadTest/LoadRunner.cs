using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;

namespace AkkaExchange.LoadTest;

/// <summary>
/// One run: find the symbols, connect, start a broker actor per broker and a customer actor per customer,
/// send on schedule for the run's duration (or until cancelled), wait for the answers in flight, verify every
/// acknowledged order through the API, then print the summary (its last line is the contract) and the report.
/// </summary>
public sealed class LoadRunner(LoadOptions options, TextWriter output)
{
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    public async Task<LoadSummary> RunAsync(CancellationToken stopSending)
    {
        var memberKeys = options.KeysFile is { } file ? MemberKeyFile.Load(file) : null;
        var brokerKeys = memberKeys is null ? null : MemberKeyFile.ForBrokers(memberKeys, options.Brokers);
        var symbols = await FetchSymbolsAsync();
        await OpeningBalances.CreateAsync(options, symbols.Select(s => s.Symbol).ToArray(), output, stopSending);
        var run = Guid.NewGuid().ToString("N")[..6];
        var stats = new LoadStats();
        var clock = new RunClock();
        var startedAt = DateTimeOffset.UtcNow;
        using var system = ActorSystem.Create("loadtest", ClientConfig);
        try
        {
            return await RunAsync(system, symbols, run, stats, clock, startedAt, memberKeys, brokerKeys, stopSending);
        }
        finally
        {
            await system.Terminate();
        }
    }

    // Local actors only, quiet: the client's own lines are the output users read.
    private static readonly Config ClientConfig = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """);

    private async Task<LoadSummary> RunAsync(ActorSystem system, IReadOnlyList<SymbolInfo> symbols, string run, LoadStats stats, RunClock clock,
        DateTimeOffset startedAt, IReadOnlyDictionary<string, string>? memberKeys, string[]? brokerKeys, CancellationToken stopSending)
    {
        var brokers = new IActorRef[options.Brokers];
        void OnFrame(ReportFrame frame)
        {
            // Client order ids are <run>-<broker>-<customer>-<n>: the broker is found without a lookup.
            var parts = frame.ClientOrderId.Split('-');
            if (parts.Length == 4 && int.TryParse(parts[1], out var b) && b < brokers.Length) brokers[b].Tell(new Answer(frame), ActorRefs.NoSender);
        }
        IOrderTransport transport = options.Transport == "http"
            ? new HttpTransport(options.Urls, options.ConnectionsPerUrl, brokerKeys, OnFrame)
            : new WebSocketTransport(options.Urls, options.ConnectionsPerUrl, brokerKeys, OnFrame,
                e => output.WriteLine($"lane moved: {e.Message}"));
        await using var _ = transport;
        await transport.ConnectAsync(stopSending);

        var prices = new PriceWalk(symbols.Count, options.Seed);
        var warmupUntil = clock.Now + TimeSpan.FromSeconds(Math.Min(options.WarmupSeconds, options.Seconds - 1)).Ticks;
        var customers = new IActorRef[options.Customers];
        for (var b = 0; b < options.Brokers; b++)
        {
            var own = new IActorRef[options.Customers];
            var index = b;
            brokers[b] = system.ActorOf(Props.Create(() => new BrokerActor(index, transport, stats, own, clock, warmupUntil)), $"broker-{b:000}");
            for (var c = 0; c < options.CustomersPerBroker; c++)
            {
                var customer = c;
                var global = b * options.CustomersPerBroker + c;
                var broker = brokers[b];
                customers[global] = own[c] = system.ActorOf(Props.Create(() =>
                    new CustomerActor(index, customer, run, broker, options, prices, symbols, options.Seed ^ (global * 7919))), $"customer-{b:000}-{c:000}");
            }
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {options.Profile} profile, {options.Brokers} brokers x {options.CustomersPerBroker} customers at {options.OrdersPerCustomerPerSecond:G4}/s = {options.TargetRate:N0} orders/s on {symbols.Count} symbols for {options.Seconds}s via {options.Transport} to {string.Join(',', options.Urls)}"));

        var schedule = new SendSchedule(options.Customers, options.OrdersPerCustomerPerSecond, options.Seed);
        var pacer = new Pacer(schedule, customers, clock);
        var sendUntil = TimeSpan.FromSeconds(options.Seconds).Ticks;
        using var walk = new Timer(_ => prices.Step(), null, 100, 100);
        pacer.Start(sendUntil);
        var sendStart = clock.Now;
        using (stopSending.Register(pacer.Stop))
        {
            var next = TimeSpan.TicksPerSecond;
            while (clock.Now < sendUntil && !stopSending.IsCancellationRequested)
            {
                var wait = TimeSpan.FromTicks(Math.Max(0, next - clock.Now));
                try
                {
                    await Task.Delay(wait, stopSending);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                Progress(stats.Tick(next / (double)TimeSpan.TicksPerSecond), stats);
                next += TimeSpan.TicksPerSecond;
            }
        }
        pacer.Stop();
        var sendSeconds = Math.Max(0.001, TimeSpan.FromTicks(Math.Min(clock.Now, sendUntil) - sendStart).TotalSeconds);
        await Task.Delay(200);

        // Stop sending, then wait for what is in flight: answers still count; silence becomes errors.
        var drainDeadline = DateTime.UtcNow + DrainTimeout;
        while (stats.InFlight > 0 && DateTime.UtcNow < drainDeadline) await Task.Delay(50);
        var expired = 0;
        foreach (var b in brokers) expired += await b.Ask<int>(new ExpirePending(), TimeSpan.FromSeconds(30));
        if (expired > 0) output.WriteLine($"load: {expired} requests unanswered after {DrainTimeout.TotalSeconds:F0}s, counted as errors");
        var answered = stats.Acked + stats.Rejected;

        VerificationResult? verification = null;
        long lost = 0;
        if (options.Verify)
        {
            var acked = new List<AckedOrder>();
            foreach (var b in brokers) acked.AddRange(await b.Ask<AckedOrder[]>(new GetAcked(), TimeSpan.FromSeconds(30)));
            output.WriteLine($"load: verifying {acked.Count:N0} acknowledged orders through the API...");
            using var lookup = new HttpOrderLookup(options.Urls, memberKeys);
            verification = await new Verifier(lookup).VerifyAsync(acked, CancellationToken.None);
            lost = verification.Lost;
            for (var i = 0; i < verification.LookupErrors; i++) stats.CountError();
            foreach (var o in verification.LostSamples)
                output.WriteLine($"load: LOST {o.Symbol} {o.Account}/{o.ClientOrderId} (order {o.OrderId})");
        }

        var h = stats.Latency;
        var summary = new LoadSummary(stats.Sent, stats.Acked, stats.Rejected, stats.Errors, lost, (long)(answered / sendSeconds),
            h.Percentile(50) / 1000.0, h.Percentile(99) / 1000.0, h.Percentile(99.9) / 1000.0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: latency ms p50={h.Percentile(50) / 1000.0:F2} p90={h.Percentile(90) / 1000.0:F2} p99={h.Percentile(99) / 1000.0:F2} p99.9={h.Percentile(99.9) / 1000.0:F2} max={h.Max / 1000.0:F2} ({h.Count:N0} answers after the {options.WarmupSeconds}s warm-up); sending {sendSeconds:F1}s"));
        if (options.ReportPath is { } path)
        {
            var (json, html) = ReportWriter.Write(path, new ReportWriter.Report(options, startedAt, sendSeconds, summary, stats.Seconds, h, verification));
            output.WriteLine($"load: report {json} and {html}");
        }
        output.WriteLine(summary.Line());
        return summary;
    }

    private void Progress(SecondSample s, LoadStats stats) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{s.At,5:F0}s] sent={stats.Sent} acked={stats.Acked} rejected={stats.Rejected} inflight={stats.InFlight} rate={s.Sent}/s p99={s.P99Micros / 1000.0:F2}ms"));

    private async Task<IReadOnlyList<SymbolInfo>> FetchSymbolsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(options.Urls[0], "/api/v1/symbols")));
        var listed = doc.RootElement.GetProperty("symbols").EnumerateArray()
            .Select(s => new SymbolInfo(s.GetProperty("symbol").GetString()!, decimal.Parse(s.GetProperty("tickSize").GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
        if (listed.Count < options.Symbols)
            throw new InvalidOperationException($"the exchange lists {listed.Count} symbols, the profile needs {options.Symbols}");
        return listed.Take(options.Symbols).ToArray();
    }
}
