using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>Several real node processes on one real PostgreSQL: shards, failover, fencing, rebalancing, leave.</summary>
public sealed class ClusterSpecs
{
    private static readonly TimeSpan Handover = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_killed_nodes_shards_move_to_the_survivors_and_no_acknowledged_order_is_lost()
    {
        await using var cluster = new ClusterHarness();
        foreach (var id in new[] { "n1", "n2", "n3" }) await cluster.StartAsync(id);
        await cluster.WaitOwnedByAsync(["n1", "n2", "n3"], Handover, balanced: true);

        var acked = new List<(string Symbol, string Id, long OrderId, long Filled)>();
        foreach (var symbol in ClusterHarness.Symbols.Split(','))
        {
            var owner = await cluster.OwnerOfAsync(symbol);
            acked.Add((symbol, $"s-{symbol}", (await ClusterHarness.PlaceAsync(owner, symbol, "S1", $"s-{symbol}", "sell", "50.00", 10)).OrderId, 0));
            var buy = await ClusterHarness.PlaceAsync(owner, symbol, "B1", $"b-{symbol}", "buy", "50.00", 4);
            acked.Add((symbol, $"b-{symbol}", buy.OrderId, buy.Filled));
        }

        await cluster.Nodes["n1"].KillAsync();
        await cluster.WaitOwnedByAsync(["n2", "n3"], Handover); // throws when the survivors do not take over

        foreach (var (symbol, id, orderId, filled) in acked)
        {
            var owner = await cluster.OwnerOfAsync(symbol);
            using var doc = System.Text.Json.JsonDocument.Parse(await owner.Http.GetStringAsync($"/api/v1/orders/{(id.StartsWith('s') ? "S1" : "B1")}/{id}?symbol={symbol}"));
            Assert.Equal(orderId, doc.RootElement.GetProperty("orderId").GetInt64());
            Assert.True(doc.RootElement.GetProperty("filledQuantity").GetInt64() >= filled);
        }
        // The new owners continue the books: a crossing order trades against what the dead node acknowledged.
        var again = await ClusterHarness.PlaceAsync(await cluster.OwnerOfAsync("AAPL"), "AAPL", "B2", "b2-AAPL", "buy", "50.00", 6);
        Assert.Equal(6, again.Filled);
        await AssertJournalConsistentAsync(cluster.Schema);
    }

    [Fact]
    public async Task Every_node_accepts_orders_for_every_symbol_and_forwards_them_to_the_owner()
    {
        await using var cluster = new ClusterHarness();
        foreach (var id in new[] { "r1", "r2", "r3" }) await cluster.StartAsync(id);
        await cluster.WaitOwnedByAsync(["r1", "r2", "r3"], Handover, balanced: true);
        var entry = cluster.Nodes["r1"];
        var symbols = ClusterHarness.Symbols.Split(',');
        foreach (var symbol in symbols)
        {
            await ClusterHarness.PlaceAsync(entry, symbol, "FS", $"f-{symbol}", "sell", "20.00", 10);
            var buy = await ClusterHarness.PlaceAsync(cluster.Nodes["r2"], symbol, "FB", $"g-{symbol}", "buy", "20.00", 4);
            Assert.Equal(4, buy.Filled);
        }
        Assert.Contains(symbols, s => cluster.OwnerOfAsync(s).Result != entry);
        foreach (var symbol in symbols)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await cluster.Nodes["r3"].Http.GetStringAsync($"/api/v1/orders/FS/f-{symbol}?symbol={symbol}"));
            Assert.Equal(("partiallyFilled", 6), (doc.RootElement.GetProperty("status").GetString(), doc.RootElement.GetProperty("leavesQuantity").GetInt32()));
            using var book = System.Text.Json.JsonDocument.Parse(await entry.Http.GetStringAsync($"/api/v1/books/{symbol}"));
            Assert.Equal(6, book.RootElement.GetProperty("asks")[0].GetProperty("quantity").GetInt32());
        }
        // A resubmission through another node is the same order (forwarding is at-least-once, entry is idempotent).
        var again = await ClusterHarness.PlaceAsync(cluster.Nodes["r3"], "AAPL", "FS", "f-AAPL", "sell", "20.00", 10);
        using var first = System.Text.Json.JsonDocument.Parse(await entry.Http.GetStringAsync("/api/v1/orders/FS/f-AAPL?symbol=AAPL"));
        Assert.Equal(first.RootElement.GetProperty("orderId").GetInt64(), again.OrderId);
    }

    [Fact]
    public async Task Market_data_of_a_symbol_served_elsewhere_streams_from_any_node()
    {
        await using var cluster = new ClusterHarness();
        foreach (var id in new[] { "m1", "m2" }) await cluster.StartAsync(id);
        await cluster.WaitOwnedByAsync(["m1", "m2"], Handover, balanced: true);
        var viewer = cluster.Nodes["m1"];
        var symbol = ClusterHarness.Symbols.Split(',').First(s => cluster.OwnerOfAsync(s).Result != viewer);

        using var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{viewer.Port}/ws/v1/marketdata?symbols={symbol}"), CancellationToken.None);
        var snapshot = await WebSocketJson.ReceiveAsync(socket);
        Assert.Equal("snapshot", snapshot.GetProperty("type").GetString());
        var last = snapshot.GetProperty("book").GetProperty("sequence").GetInt64();

        await ClusterHarness.PlaceAsync(viewer, symbol, "MDS", "md-s", "sell", "40.00", 10);
        await ClusterHarness.PlaceAsync(viewer, symbol, "MDB", "md-b", "buy", "40.00", 3);
        while (true)
        {
            var update = await WebSocketJson.ReceiveAsync(socket);
            Assert.Equal(last, update.GetProperty("previousSequence").GetInt64());
            last = update.GetProperty("sequence").GetInt64();
            if (update.GetProperty("type").GetString() == "trade")
            {
                Assert.Equal(("40.00", 3), (update.GetProperty("price").GetString(), update.GetProperty("quantity").GetInt32()));
                break;
            }
        }
    }

    [Fact]
    public async Task A_frozen_node_commits_nothing_for_the_shards_it_lost_and_rejoins_when_restarted()
    {
        await using var cluster = new ClusterHarness();
        var frozen = await cluster.StartAsync("f1");
        await cluster.StartAsync("f2");
        await cluster.WaitOwnedByAsync(["f1", "f2"], Handover, balanced: true);
        var frozenSymbols = (await ClusterHarness.ShardsAsync(frozen)).Where(s => s.Owner == "f1").SelectMany(s => s.Symbols).ToArray();
        Assert.NotEmpty(frozenSymbols);

        // A request is on its way to the node when it freezes: it may be anywhere, even between its commit and its reply.
        var inFlight = ClusterHarness.PlaceAsync(frozen, frozenSymbols[0], "S8", "in-flight", "sell", "60.00", 2);
        await frozen.SignalAsync("STOP");
        try
        {
            await cluster.WaitOwnedByAsync(["f2"], Handover);
            var survivor = cluster.Nodes["f2"];
            foreach (var symbol in frozenSymbols)
                await ClusterHarness.PlaceAsync(survivor, symbol, "S9", $"while-frozen-{symbol}", "sell", "70.00", 3);
        }
        finally
        {
            await frozen.SignalAsync("CONT");
        }
        var acknowledged = await inFlight.ContinueWith(t => t.IsCompletedSuccessfully);

        // It wakes, learns it was downed (its leases long gone), and its process exits: Akka never lets a downed member
        // back. Started again (as Kubernetes restarts a pod), it joins as a new member and gets its share back.
        await frozen.WaitForExitAsync(Handover);
        await cluster.StartAsync("f1");
        await cluster.WaitOwnedByAsync(["f1", "f2"], Handover, balanced: true);
        await AssertJournalConsistentAsync(cluster.Schema);
        // Whatever the frozen node did on waking, the in-flight order exists exactly when it was acknowledged.
        var owner = await cluster.OwnerOfAsync(frozenSymbols[0]);
        using var found = await owner.Http.GetAsync($"/api/v1/orders/S8/in-flight?symbol={frozenSymbols[0]}");
        Assert.Equal(acknowledged, found.IsSuccessStatusCode);
        foreach (var symbol in frozenSymbols)
        {
            using var order = await (await cluster.OwnerOfAsync(symbol)).Http.GetAsync($"/api/v1/orders/S9/while-frozen-{symbol}?symbol={symbol}");
            Assert.True(order.IsSuccessStatusCode, $"order placed on the survivor for {symbol} while f1 was frozen is gone");
        }
    }

    [Fact]
    public async Task Shards_spread_evenly_as_nodes_join_and_a_leaving_node_hands_its_shards_over()
    {
        await using var cluster = new ClusterHarness();
        await cluster.StartAsync("j1");
        await cluster.WaitOwnedByAsync(["j1"], Handover);
        await cluster.StartAsync("j2");
        await cluster.StartAsync("j3");
        await cluster.WaitOwnedByAsync(["j1", "j2", "j3"], Handover, balanced: true);

        var owner = await cluster.OwnerOfAsync("MSFT");
        await ClusterHarness.PlaceAsync(owner, "MSFT", "L1", "before-leave", "sell", "30.00", 5);
        var leaving = cluster.Nodes.First(n => n.Value == owner).Key;
        var rest = cluster.Nodes.Keys.Where(k => k != leaving).ToArray();
        // Clients keep sending through a remaining node while the owner leaves: they must see no error at all.
        using var stop = new CancellationTokenSource();
        var errors = new List<string>();
        var sent = 0;
        var client = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                foreach (var symbol in ClusterHarness.Symbols.Split(','))
                {
                    try
                    {
                        await ClusterHarness.PlaceAsync(cluster.Nodes[rest[0]], symbol, "LL", $"during-{i}-{symbol}", "buy", "10.00", 1);
                        Interlocked.Increment(ref sent);
                    }
                    catch (HttpRequestException e)
                    {
                        lock (errors) errors.Add(e.Message);
                    }
                }
            }
        });
        // Counts, not time: a full round of symbols before the leave starts and another after it ended, so the
        // client's requests span the whole hand-over however slow the machine is.
        var round = ClusterHarness.Symbols.Split(',').Length;
        await WaitUntilAsync(() => Volatile.Read(ref sent) >= round);
        Assert.Equal(0, await owner.StopAsync());
        await cluster.WaitOwnedByAsync(rest, Handover, balanced: true);
        var afterLeave = Volatile.Read(ref sent);
        await WaitUntilAsync(() => Volatile.Read(ref sent) >= afterLeave + round);
        await stop.CancelAsync();
        await client;
        Assert.Empty(errors);
        var next = await cluster.OwnerOfAsync("MSFT");
        using var doc = System.Text.Json.JsonDocument.Parse(await next.Http.GetStringAsync("/api/v1/orders/L1/before-leave?symbol=MSFT"));
        Assert.Equal("new", doc.RootElement.GetProperty("status").GetString());
        await AssertJournalConsistentAsync(cluster.Schema);
    }

    [Fact]
    public async Task Exactly_one_instance_of_a_singleton_runs_and_it_moves_when_its_node_dies()
    {
        await using var cluster = new ClusterHarness();
        foreach (var id in new[] { "s1", "s2", "s3" }) await cluster.StartAsync(id);
        var (owner, epoch) = await WaitSingletonAsync(cluster, "settlement", except: null);
        var runningOn = new List<string>();
        foreach (var (id, node) in cluster.Nodes)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await node.Http.GetStringAsync("/admin/v1/singletons"));
            if (doc.RootElement.GetProperty("singletons").EnumerateArray().Any(s => s.GetProperty("name").GetString() == "settlement" && s.GetProperty("runningHere").GetBoolean()))
                runningOn.Add(id);
        }
        Assert.Equal([owner], runningOn);

        await cluster.Nodes[owner].KillAsync();
        var (next, nextEpoch) = await WaitSingletonAsync(cluster, "settlement", except: owner);
        Assert.NotEqual(owner, next);
        Assert.True(nextEpoch > epoch);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Handover;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the client made no progress");
            await Task.Delay(20);
        }
    }

    internal static async Task<(string Owner, long Epoch)> WaitSingletonAsync(ClusterHarness cluster, string name, string? except)
    {
        var deadline = DateTime.UtcNow + Handover;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (id, node) in cluster.Nodes.Where(n => !n.Value.HasExited))
            {
                using var doc = System.Text.Json.JsonDocument.Parse(await node.Http.GetStringAsync("/admin/v1/singletons"));
                foreach (var s in doc.RootElement.GetProperty("singletons").EnumerateArray())
                    if (s.GetProperty("name").GetString() == name && s.GetProperty("runningHere").GetBoolean() && id != except)
                        return (id, s.GetProperty("epoch").GetInt64());
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"singleton {name} not running on a live node");
    }

    /// <summary>
    /// Every symbol's journal: contiguous sequence numbers, each trade id once, in order; with a cluster given, the
    /// book its owner serves equals the replay of its journal.
    /// </summary>
    internal static async Task AssertJournalConsistentAsync(string schema, ClusterHarness? live = null)
    {
        await using var c = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(await TestPostgres.ConnectionStringAsync()) { SearchPath = schema }.ConnectionString);
        await c.OpenAsync();
        var rows = await JournalRows.ReadAsync(c);
        foreach (var symbol in ClusterHarness.Symbols.Split(','))
        {
            var spec = new AkkaExchange.Actors.Domain.InstrumentSpec(symbol);
            var state = new AkkaExchange.Actors.Domain.SymbolState(spec);
            long lastTrade = 0;
            foreach (var e in JournalRows.EventsOf(rows, symbol))
            {
                if (e is TradeExecuted t) Assert.Equal(++lastTrade, t.TradeId);
                state.Apply(e);
            }
            if (live is null) continue;
            var served = await (await live.OwnerOfAsync(symbol)).Http.GetStringAsync($"/api/v1/books/{symbol}?depth=1000");
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(AkkaExchange.Node.Api.ApiJson.Book(state.View(1000), spec), AkkaExchange.Node.Api.ApiJson.Options), served);
        }
    }
}
