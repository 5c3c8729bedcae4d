using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.TestSupport;
using Npgsql;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// The disaster drill with real processes and real streaming replication: region A active, region B its synchronous
/// standby; region A dies whole (kill -9 of its node, immediate stop of its PostgreSQL); the operator fails over to B;
/// B serves every order A acknowledged and takes new ones; A, revived as it was, takes none.
/// </summary>
public sealed class RegionFailoverSpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task After_a_failover_the_standby_serves_every_acknowledged_order_and_the_revived_old_region_takes_none()
    {
        await using var regions = new RegionPair();
        var (a, b) = await regions.StartAsync("sync", Patience);

        var standby = await RegionPair.RegionAsync(b);
        Assert.Equal("standby", standby.GetProperty("role").GetString());
        Assert.Equal("replica", standby.GetProperty("database").GetString());
        Assert.Equal("A", standby.GetProperty("activeRegion").GetString());
        var refused = await PlaceAsync(b, "AAPL", "S9", "refused-1", "sell", "50.00", 1);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Contains("the active region is A", refused.Body);
        // Nor does it write anything else: its database is a replica.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await b.Http.PostAsync("/api/v1/reconciliation/runs", null)).StatusCode);

        // Orders acknowledged by A, some of them trading: with synchronous replication each is in B's database too.
        var acked = new List<(string Account, string Id, long OrderId)>();
        var symbols = RegionPair.DefaultSymbols.Split(',');
        for (var i = 0; i < 40; i++)
        {
            var symbol = symbols[i % symbols.Length];
            var (account, side) = i % 2 == 0 ? ("S1", "sell") : ("B1", "buy");
            var placed = await PlaceAsync(a, symbol, account, $"o{i}", side, "50.00", 10);
            Assert.Equal(HttpStatusCode.OK, placed.Status);
            acked.Add((account, $"o{i}", JsonDocument.Parse(placed.Body).RootElement.GetProperty("orderId").GetInt64()));
        }

        await regions.CrashAsync("A");
        using (var failover = await b.Http.PostAsync("/admin/v1/region/failover", null))
        {
            var body = await failover.Content.ReadAsStringAsync();
            Assert.True(failover.IsSuccessStatusCode, body);
            Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("promoted").GetBoolean());
        }
        await b.WaitReadyAsync(Patience);

        foreach (var (account, id, orderId) in acked)
        {
            var found = JsonDocument.Parse(await b.Http.GetStringAsync($"/api/v1/orders/{account}/{id}")).RootElement;
            Assert.Equal(orderId, found.GetProperty("orderId").GetInt64());
        }
        // B continues the books: a crossing order trades against what A acknowledged.
        var continued = await PlaceAsync(b, "AAPL", "B2", "after-failover", "buy", "50.00", 5);
        Assert.Equal(HttpStatusCode.OK, continued.Status);
        Assert.Equal(5, JsonDocument.Parse(continued.Body).RootElement.GetProperty("filledQuantity").GetInt64());
        var active = await RegionPair.RegionAsync(b);
        Assert.Equal("active", active.GetProperty("role").GetString());
        Assert.Equal(2, active.GetProperty("epoch").GetInt64());

        // Settlement resumed in B from the offsets A had committed: every trade of the journal settled exactly once,
        // and a full reconciliation in B finds nothing to repair.
        async Task<DbConnection> OpenB()
        {
            var c = new NpgsqlConnection(regions.Connection("B"));
            await c.OpenAsync();
            return c;
        }
        await LedgerAudit.WaitCaughtUpAsync(OpenB, Patience);
        await using (var c = await OpenB()) await LedgerAudit.AssertSettledExactlyOnceAndConservedAsync(c, new FeeSchedule(2, 1));
        using (var full = await b.Http.PostAsJsonAsync("/api/v1/reconciliation/runs", new { scope = "full" }))
        {
            var run = JsonDocument.Parse(await full.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(("clean", 0L), (run.GetProperty("outcome").GetString(), run.GetProperty("missing").GetInt64()));
        }

        // The old region comes back as it was — a primary naming itself active at epoch 1 — and learns from B it lost.
        await regions.ReviveDatabaseAsync("A");
        var revived = await regions.StartNodeAsync("A", "/health/live");
        // From its first answer on, it refuses every order; it settles as a standby once its database records B's epoch.
        var deadline = DateTime.UtcNow + Patience;
        JsonElement view;
        while (true)
        {
            view = await RegionPair.RegionAsync(revived);
            Assert.False(view.GetProperty("acceptsOrders").GetBoolean(), view.ToString());
            var order = await PlaceAsync(revived, "MSFT", "S3", $"revived-{Guid.NewGuid():N}", "sell", "50.00", 1);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, order.Status);
            if (view.GetProperty("role").GetString() == "standby" || DateTime.UtcNow > deadline) break;
            await Task.Delay(200);
        }
        Assert.Equal("standby", view.GetProperty("role").GetString());
        Assert.Equal("B", view.GetProperty("activeRegion").GetString());
        Assert.Equal(2, view.GetProperty("epoch").GetInt64());
        var refusedAgain = await PlaceAsync(revived, "MSFT", "S3", "revived-last", "sell", "50.00", 1);
        Assert.Contains("the active region is B", refusedAgain.Body);
    }

    [Fact]
    public async Task A_planned_rotation_moves_trading_to_the_standby_and_back_without_losing_an_acknowledged_order()
    {
        await using var regions = new RegionPair();
        var (a, b) = await regions.StartAsync("sync", Patience);

        // Refused with a reason, changing nothing: an unknown target, a hand-over asked of the standby, a take-over
        // while the active region answers.
        Assert.Equal(HttpStatusCode.BadRequest, (await a.Http.PostAsync("/admin/v1/region/handover?to=C", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await b.Http.PostAsync("/admin/v1/region/handover?to=A", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await b.Http.PostAsync("/admin/v1/region/failover", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = a.BaseAddress }.PostAsync("/admin/v1/region/handover?to=B", null)).StatusCode);
        Assert.Equal("active", (await RegionPair.RegionAsync(a)).GetProperty("role").GetString());

        var acked = new List<(string Account, string Id, long OrderId)>();
        async Task TradeAsync(NodeProcess node, string prefix)
        {
            for (var i = 0; i < 10; i++)
            {
                var (account, side) = i % 2 == 0 ? ("S1", "sell") : ("B1", "buy");
                var placed = await PlaceAsync(node, "TSLA", account, $"{prefix}{i}", side, "50.00", 10);
                Assert.Equal(HttpStatusCode.OK, placed.Status);
                acked.Add((account, $"{prefix}{i}", JsonDocument.Parse(placed.Body).RootElement.GetProperty("orderId").GetInt64()));
            }
        }
        async Task RotateAsync(NodeProcess from, NodeProcess to, string target)
        {
            using (var handover = await from.Http.PostAsync($"/admin/v1/region/handover?to={target}", null))
                Assert.True(handover.IsSuccessStatusCode, await handover.Content.ReadAsStringAsync());
            // The old region stops at once; the new one has every commit of it before it takes over.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PlaceAsync(from, "TSLA", "S1", $"late-{target}", "sell", "50.00", 1)).Status);
            using (var takeover = await to.Http.PostAsync("/admin/v1/region/failover", null))
                Assert.True(takeover.IsSuccessStatusCode, await takeover.Content.ReadAsStringAsync());
            await to.WaitReadyAsync(Patience);
        }

        await TradeAsync(a, "a");
        await RotateAsync(a, b, "B");
        await TradeAsync(b, "b");
        foreach (var (account, id, orderId) in acked)
            Assert.Equal(orderId, JsonDocument.Parse(await b.Http.GetStringAsync($"/api/v1/orders/{account}/{id}")).RootElement.GetProperty("orderId").GetInt64());

        // Back: A is re-made B's standby (a fresh base backup of B's database), then the same rotation the other way.
        await regions.RebaseAsync("A", "B");
        var deadline = DateTime.UtcNow + Patience;
        while ((await RegionPair.RegionAsync(a)).GetProperty("database").GetString() != "replica" && DateTime.UtcNow < deadline) await Task.Delay(200);
        while ((await RegionPair.RegionAsync(b)).GetProperty("replicas").GetArrayLength() == 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        await RotateAsync(b, a, "A");
        await TradeAsync(a, "c");
        foreach (var (account, id, orderId) in acked)
            Assert.Equal(orderId, JsonDocument.Parse(await a.Http.GetStringAsync($"/api/v1/orders/{account}/{id}")).RootElement.GetProperty("orderId").GetInt64());
        Assert.Equal("standby", (await RegionPair.RegionAsync(b)).GetProperty("role").GetString());
    }

    private static async Task<(HttpStatusCode Status, string Body)> PlaceAsync(NodeProcess node, string symbol, string account, string id, string side,
        string price, int quantity)
    {
        var body = $$"""{"account":"{{account}}","clientOrderId":"{{id}}","symbol":"{{symbol}}","side":"{{side}}","price":"{{price}}","quantity":{{quantity}}}""";
        using var response = await node.Http.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
