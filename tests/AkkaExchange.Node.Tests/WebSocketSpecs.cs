using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace AkkaExchange.Node.Tests;

public sealed class WebSocketSpecs(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private async Task<ClientWebSocket> ConnectAsync(string path)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Node.Port}{path}"), CancellationToken.None);
        return socket;
    }

    /// <summary>One frame's messages: the order-entry session may pack several, newline-separated.</summary>
    private static async Task<IReadOnlyList<JsonElement>> ReceiveManyAsync(ClientWebSocket socket) =>
        Encoding.UTF8.GetString(await WebSocketJson.ReceiveFrameAsync(socket)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();

    private static Task<JsonElement> ReceiveAsync(ClientWebSocket socket) => WebSocketJson.ReceiveAsync(socket);

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private Task PostAsync(string body) =>
        fixture.Node.Http.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Market_data_starts_with_a_snapshot_then_streams_updates_whose_sequences_chain()
    {
        using var socket = await ConnectAsync("/ws/v1/marketdata?symbols=NVDA");
        var snapshot = await ReceiveAsync(socket);
        Assert.Equal("snapshot", snapshot.GetProperty("type").GetString());
        var last = snapshot.GetProperty("book").GetProperty("sequence").GetInt64();

        await PostAsync("""{"account":"MD-S","clientOrderId":"s1","symbol":"NVDA","side":"sell","price":"120.00","quantity":50}""");
        await PostAsync("""{"account":"MD-B","clientOrderId":"b1","symbol":"NVDA","side":"buy","price":"120.00","quantity":20}""");

        var sawTrade = false;
        while (!sawTrade)
        {
            var update = await ReceiveAsync(socket);
            Assert.Equal(last, update.GetProperty("previousSequence").GetInt64());
            last = update.GetProperty("sequence").GetInt64();
            if (update.GetProperty("type").GetString() == "trade")
            {
                Assert.Equal(("120.00", 20), (update.GetProperty("price").GetString(), update.GetProperty("quantity").GetInt32()));
                sawTrade = true;
            }
        }
        // The book after the trade (its update carries the trade's sequence): 30 left at 120.00.
        var after = await ReceiveAsync(socket);
        Assert.Equal(("book", last, last), (after.GetProperty("type").GetString(), after.GetProperty("previousSequence").GetInt64(), after.GetProperty("sequence").GetInt64()));
        var ask = after.GetProperty("asks")[0];
        Assert.Equal(("120.00", 30), (ask.GetProperty("price").GetString(), ask.GetProperty("quantity").GetInt32()));
    }

    [Fact]
    public async Task Market_data_refuses_unknown_symbols()
    {
        using var response = await fixture.Node.Http.GetAsync("/ws/v1/marketdata?symbols=NOPE");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Order_entry_session_pipelines_requests_and_reports_each_by_client_order_id()
    {
        using var socket = await ConnectAsync("/ws/v1/orders");
        const int n = 300;
        for (var i = 0; i < n; i++)
        {
            var side = i % 2 == 0 ? "sell" : "buy";
            await SendAsync(socket, $$"""{"op":"place","account":"WS{{i % 2}}","clientOrderId":"ws-{{i}}","symbol":"AAPL","side":"{{side}}","price":"150.00","quantity":5}""");
        }
        await SendAsync(socket, """{"op":"place","account":"WS0","clientOrderId":"bad-1","symbol":"AAPL","side":"buy","price":"150.001","quantity":5}""");
        await SendAsync(socket, """{"op":"cancel","account":"WS0","clientOrderId":"unknown-1","symbol":"AAPL"}""");
        await SendAsync(socket, "not json");

        var reports = new HashSet<string>();
        var errors = new List<JsonElement>();
        while (reports.Count + errors.Count < n + 3)
        {
            foreach (var message in await ReceiveManyAsync(socket))
            {
                if (message.GetProperty("type").GetString() == "report")
                    Assert.True(reports.Add(message.GetProperty("report").GetProperty("clientOrderId").GetString()!));
                else
                    errors.Add(message);
            }
        }
        Assert.Equal(n, reports.Count);
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.GetProperty("clientOrderId").GetString() == "bad-1" && e.GetProperty("error").GetString()!.Contains("tick"));
        Assert.Contains(errors, e => e.GetProperty("clientOrderId").GetString() == "unknown-1" && e.GetProperty("error").GetString()!.Contains("unknown order")
            && e.GetProperty("status").GetInt32() == 404);
        Assert.Contains(errors, e => e.GetProperty("status").GetInt32() == 400 && e.GetProperty("error").GetString()!.Contains("malformed JSON"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Several_newline_separated_requests_in_one_frame_are_each_answered()
    {
        using var socket = await ConnectAsync("/ws/v1/orders");
        var frame = string.Join('\n', Enumerable.Range(0, 5).Select(i =>
            $$"""{"op":"place","account":"NL","clientOrderId":"nl-{{i}}","symbol":"TSLA","side":"buy","price":"90.00","quantity":1}"""));
        await SendAsync(socket, frame + "\n");
        var ids = new HashSet<string>();
        while (ids.Count < 5)
            foreach (var m in await ReceiveManyAsync(socket))
                ids.Add(m.GetProperty("report").GetProperty("clientOrderId").GetString()!);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"nl-{i}").ToHashSet(), ids);
    }

    [Fact]
    public async Task Reports_of_one_order_arrive_in_any_order_and_its_version_says_which_is_newest()
    {
        using var socket = await ConnectAsync("/ws/v1/orders");
        // One frame, three commands on one order: their answers may come back in any order.
        await SendAsync(socket, string.Join('\n',
            """{"op":"place","account":"VER","clientOrderId":"v-1","symbol":"MSFT","side":"buy","price":"1.00","quantity":10}""",
            """{"op":"amend","account":"VER","clientOrderId":"v-1","symbol":"MSFT","quantity":7}""",
            """{"op":"cancel","account":"VER","clientOrderId":"v-1","symbol":"MSFT"}""") + "\n");
        var reports = new List<JsonElement>();
        while (reports.Count < 3)
            reports.AddRange((await ReceiveManyAsync(socket)).Select(m => m.GetProperty("report")));

        var byVersion = reports.OrderBy(r => r.GetProperty("version").GetInt64()).ToArray();
        Assert.Equal(3, byVersion.Select(r => r.GetProperty("version").GetInt64()).Distinct().Count());
        Assert.Equal(["new", "new", "cancelled"], byVersion.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal([10, 7, 7], byVersion.Select(r => r.GetProperty("quantity").GetInt32()));
        // A query answers the newest state with the newest version, unchanged.
        var query = await fixture.Node.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders/VER/v-1?symbol=MSFT");
        Assert.Equal(byVersion[2].GetProperty("version").GetInt64(), query.GetProperty("version").GetInt64());
    }
}
