using System.Text;
using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>The public and admin calls the state and backup specs make on a node (its client carries the admin token).</summary>
internal static class ExchangeCalls
{
    /// <summary>A limit order of 10; fails the test unless it is acknowledged.</summary>
    public static async Task PlaceAsync(NodeProcess node, string account, string id, string symbol, string side, string price)
    {
        var body = $$"""{"account":"{{account}}","clientOrderId":"{{id}}","symbol":"{{symbol}}","side":"{{side}}","price":"{{price}}","quantity":10}""";
        using var response = await node.Http.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary><c>GET /admin/v1/state</c>: every symbol's sequence and state hash, and the ledger's hash.</summary>
    public static async Task<JsonElement> StateAsync(NodeProcess node)
    {
        using var doc = JsonDocument.Parse(await node.Http.GetStringAsync("/admin/v1/state"));
        return doc.RootElement.Clone();
    }

    /// <summary>The state once the ledger holds at least <paramref name="settlements"/> notices.</summary>
    public static async Task<JsonElement> SettledStateAsync(NodeProcess node, int settlements)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var state = await StateAsync(node);
            if (state.GetProperty("ledger").GetProperty("settlements").GetInt64() >= settlements) return state;
            Assert.True(DateTime.UtcNow < deadline, "the trades never settled");
            await Task.Delay(200);
        }
    }
}
