using System.Diagnostics;
using System.Text.Json;
using AkkaExchange.Messages.Diagnostics;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Bench;

/// <summary>
/// A real cluster on this machine: a throwaway PostgreSQL (fsync on, or AKKAEX_BENCH_PG), <c>--nodes</c> node
/// processes in cluster mode with 100 symbols over 64 shards, and pipelined WebSocket clients spread over all
/// nodes — so most orders are forwarded to their shard's owner, as in production. Every acknowledgement comes
/// after the owner's fenced journal commit. Last line (a contract):
/// <c>cluster: &lt;N&gt; orders/s p50=&lt;X&gt;ms p99=&lt;Y&gt;ms nodes=&lt;n&gt;</c>.
/// </summary>
internal static class ClusterBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var nodes = options.Int("nodes", 3);
        var seconds = options.Int("seconds", 10);
        var connections = options.Int("connections", 4);
        var window = options.Int("window", 128);
        var directory = RepositoryPaths.TempDirectory("bench-cluster");
        var connection = await BenchJournals.PostgresAsync(directory);
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..10];
        var symbols = Enumerable.Range(0, 100).Select(i => $"S{i:000}").ToArray();
        const string token = "bench-admin-token-0123456789";
        Console.WriteLine($"cluster: {nodes} nodes, 100 symbols / 64 shards, {connections} sessions per node x {window} in flight, warm-up 3s then {seconds}s");

        var processes = new List<NodeProcess>();
        var identity = new ClusterIdentity(directory);
        try
        {
            for (var i = 1; i <= nodes; i++)
                processes.Add(await NodeProcess.StartAsync(directory, [.. identity.Arguments($"bench-{i}"), "--journal", "postgres", "--postgres-schema", schema,
                        "--node-id", $"bench-{i}", "--symbols", string.Join(',', symbols), "--data-dir", $"n{i}"],
                    port: identity.PortOf($"bench-{i}"),
                    environment: new Dictionary<string, string>
                    {
                        ["Exchange__ConnectionString"] = connection,
                        ["Exchange__AdminToken"] = token,
                    }.Concat(identity.Environment).ToDictionary()));
            await WaitBalancedAsync(processes, token);

            using var stop = new CancellationTokenSource();
            var clients = processes.SelectMany((p, n) => Enumerable.Range(0, connections)
                .Select(c => new PipelinedClient(p.BaseAddress, window, symbols, n * 100 + c))).ToArray();
            var runs = clients.Select(c => c.RunAsync(stop.Token)).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(3));
            foreach (var c in clients) c.Measuring = true;
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            foreach (var c in clients) c.Measuring = false;
            var elapsed = Stopwatch.GetElapsedTime(started);
            await stop.CancelAsync();
            await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(30));

            var latency = new LatencyHistogram();
            foreach (var c in clients) latency.Add(c.Latency);
            var completed = clients.Sum(c => c.Completed);
            var failed = clients.Sum(c => c.Failed);
            var rate = (long)(completed / elapsed.TotalSeconds);
            string Ms(long micros) => (micros / 1000.0).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"  acknowledged {completed:N0} in {elapsed.TotalSeconds:F2}s; {failed:N0} error answers");
            Console.WriteLine($"  latency ms: p50={Ms(latency.Percentile(50))} p90={Ms(latency.Percentile(90))} p99={Ms(latency.Percentile(99))} p99.9={Ms(latency.Percentile(99.9))} max={Ms(latency.Max)}");
            Console.WriteLine($"cluster: {rate} orders/s p50={Ms(latency.Percentile(50))}ms p99={Ms(latency.Percentile(99))}ms nodes={nodes}");
            return 0;
        }
        finally
        {
            foreach (var p in processes) await p.DisposeAsync();
        }
    }

    /// <summary>
    /// Waits until every shard that holds a symbol is served and the shards are spread evenly (at most one apart, what
    /// Akka's least-shard allocation strategy settles on) for a second: a measurement that overlapped the rebalance
    /// onto the last node to join would count its hand-offs as throughput lost.
    /// </summary>
    private static async Task WaitBalancedAsync(IReadOnlyList<NodeProcess> nodes, string token)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        foreach (var n in nodes) n.Http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var steady = 0;
        while (DateTime.UtcNow < deadline)
        {
            var counts = new List<int>();
            var used = 0;
            foreach (var n in nodes)
            {
                using var response = await n.Http.GetAsync("/admin/v1/shards");
                if (!response.IsSuccessStatusCode) break; // 503 while a region is busy: ask again
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var shards = doc.RootElement.GetProperty("shards").EnumerateArray().ToArray();
                counts.Add(shards.Count(s => s.GetProperty("servingHere").GetBoolean()));
                // Akka allocates a shard once it has an entity: the shards that hold a symbol.
                used = shards.Count(s => s.GetProperty("symbols").GetArrayLength() > 0);
            }
            var balanced = counts.Count == nodes.Count && used > 0 && counts.Sum() == used && counts.Max() - counts.Min() <= 1;
            steady = balanced ? steady + 1 : 0;
            if (steady >= 5) return;
            await Task.Delay(200);
        }
        throw new TimeoutException("the cluster did not serve every shard, spread evenly, within 120 s");
    }
}
