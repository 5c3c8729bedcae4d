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
}
