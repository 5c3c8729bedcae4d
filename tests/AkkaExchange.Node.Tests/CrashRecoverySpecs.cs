using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;
using AkkaExchange.Node.Api;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// kill -9 a node in the middle of a stream of crossing orders, at several points, restarting it each time on the
/// same data directory: every acknowledged order and its fills are still there, resubmitting one changes
/// nothing, no trade id appears twice, and each book equals a replay of its journal.
/// </summary>
public sealed class CrashRecoverySpecs
{
    private static readonly string[] Symbols = ["AAPL", "MSFT"];

    private sealed record Acked(string Symbol, string Account, string ClientOrderId, string Body, long OrderId, long Filled, long Quantity);

    [Fact]
    public async Task Acknowledged_orders_survive_kill_9_at_several_points()
    {
        // Started from its own working directory with a relative data directory: the node must not care where it runs.
        var dir = RepositoryPaths.TempDirectory("crash");
        string[] args = ["--data-dir", "data", "--symbols", string.Join(',', Symbols), "--snapshot-interval", "500"];
        var acked = new ConcurrentBag<Acked>();
        var round = 0;
        foreach (var killAfter in new[] { 400, 1_200, 2_500 })
        {
            round++;
            await using var node = await NodeProcess.StartAsync(dir, args);
            await VerifyAsync(node, acked);
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 8).Select(w => DriveAsync(node, round, w, acked, stop.Token)).ToArray();
            await Task.Delay(killAfter);
            await node.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }
        Assert.True(acked.Count > 100, $"only {acked.Count} orders were acknowledged before the kills");

        await using var last = await NodeProcess.StartAsync(dir, args);
        await VerifyAsync(last, acked);
        await VerifyResubmissionAsync(last, acked);
        var books = new Dictionary<string, string>();
        foreach (var s in Symbols) books[s] = await last.Http.GetStringAsync($"/api/v1/books/{s}?depth=1000");
        Assert.Equal(0, await last.StopAsync());
        await VerifyJournalAsync(Path.Combine(dir, "data", "journal.db"), books);
    }

    private static async Task DriveAsync(NodeProcess node, int round, int worker, ConcurrentBag<Acked> acked, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var symbol = Symbols[i % Symbols.Length];
            var price = $"100.{i % 5:00}";
            try
            {
                foreach (var (side, account) in new[] { ("sell", $"W{worker}S"), ("buy", $"W{worker}B") })
                {
                    var id = $"r{round}-w{worker}-{i}-{side}";
                    var body = $$"""{"account":"{{account}}","clientOrderId":"{{id}}","symbol":"{{symbol}}","side":"{{side}}","price":"{{price}}","quantity":{{10 + i % 7}}}""";
                    using var response = await node.Http.PostAsync("/api/v1/orders", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), stop);
                    if (response.StatusCode != HttpStatusCode.OK) continue;
                    using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stop));
                    var r = report.RootElement;
                    acked.Add(new Acked(symbol, account, id, body, r.GetProperty("orderId").GetInt64(),
                        r.GetProperty("filledQuantity").GetInt64(), r.GetProperty("quantity").GetInt64()));
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                return;
            }
        }
    }

    private static async Task VerifyAsync(NodeProcess node, IEnumerable<Acked> acked)
    {
        foreach (var a in acked)
        {
            using var response = await node.Http.GetAsync($"/api/v1/orders/{a.Account}/{a.ClientOrderId}?symbol={a.Symbol}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"acknowledged order {a.ClientOrderId} lost: {response.StatusCode}");
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var r = report.RootElement;
            Assert.Equal(a.OrderId, r.GetProperty("orderId").GetInt64());
            Assert.Equal(a.Quantity, r.GetProperty("quantity").GetInt64());
            Assert.True(r.GetProperty("filledQuantity").GetInt64() >= a.Filled, $"order {a.ClientOrderId} lost fills");
        }
    }

    private static async Task VerifyResubmissionAsync(NodeProcess node, IEnumerable<Acked> acked)
    {
        var before = await SequencesAsync(node);
        foreach (var a in acked.Take(40))
        {
            using var response = await node.Http.PostAsync("/api/v1/orders", new StringContent(a.Body, System.Text.Encoding.UTF8, "application/json"));
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(a.OrderId, report.RootElement.GetProperty("orderId").GetInt64());
        }
        Assert.Equal(before, await SequencesAsync(node));
    }

    private static async Task<string> SequencesAsync(NodeProcess node)
    {
        var parts = new List<string>();
        foreach (var s in Symbols)
        {
            using var book = JsonDocument.Parse(await node.Http.GetStringAsync($"/api/v1/books/{s}"));
            parts.Add($"{s}:{book.RootElement.GetProperty("sequence").GetInt64()}");
        }
        return string.Join(',', parts);
    }

    private static async Task VerifyJournalAsync(string path, Dictionary<string, string> books)
    {
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        var rows = await JournalRows.ReadAsync(c);
        foreach (var symbol in Symbols)
        {
            var spec = new InstrumentSpec(symbol);
            var state = new SymbolState(spec);
            var tradeIds = new List<long>();
            foreach (var e in JournalRows.EventsOf(rows, symbol))
            {
                if (e is TradeExecuted t) tradeIds.Add(t.TradeId);
                state.Apply(e);
            }
            Assert.True(tradeIds.Count > 0, $"no trades on {symbol}");
            Assert.Equal(tradeIds.Count, tradeIds.Distinct().Count());
            Assert.Equal(Enumerable.Range(1, tradeIds.Count).Select(i => (long)i), tradeIds);
            var replayed = JsonSerializer.Serialize(ApiJson.Book(state.View(1000), spec), ApiJson.Options);
            Assert.Equal(books[symbol], replayed);
        }
    }
}
