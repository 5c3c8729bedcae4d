using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>One client cannot take the node: sessions are capped, and a session's message rate is bounded without ending it.</summary>
public sealed class SessionLimitSpecs(SessionLimitSpecs.LimitedNode fixture) : IClassFixture<SessionLimitSpecs.LimitedNode>
{
    /// <summary>An embedded node taking two sessions, five messages a second each.</summary>
    public sealed class LimitedNode : IAsyncLifetime
    {
        public NodeProcess Node { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Node = await NodeProcess.StartAsync(RepositoryPaths.TempDirectory("limited-node"), ["--data-dir", "data", "--symbols", "AAPL"],
                environment: new Dictionary<string, string> { ["Exchange__MaxSessions"] = "2", ["Exchange__MaxMessagesPerSecondPerSession"] = "5" });

        public async Task DisposeAsync() => await Node.DisposeAsync();
    }

    private Uri Url(string path) => new($"ws://127.0.0.1:{fixture.Node.Port}{path}");

    [Fact]
    public async Task Sessions_beyond_the_cap_get_503_and_a_freed_slot_is_taken_again()
    {
        using var first = new ClientWebSocket();
        await first.ConnectAsync(Url("/ws/v1/orders"), CancellationToken.None);
        using var second = new ClientWebSocket();
        await second.ConnectAsync(Url("/ws/v1/marketdata?symbols=AAPL"), CancellationToken.None);
        using (var third = new ClientWebSocket())
        {
            third.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(Url("/ws/v1/orders"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, third.HttpStatusCode);
        }
        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var again = new ClientWebSocket();
            try
            {
                await again.ConnectAsync(Url("/ws/v1/orders"), CancellationToken.None);
                return;
            }
            catch (WebSocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100); // the server frees the slot once its side of the session has ended
            }
        }
    }

    [Fact]
    public async Task Messages_over_the_rate_get_429_each_and_the_session_goes_on()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(Url("/ws/v1/orders"), CancellationToken.None);
        const int sent = 30;
        var frame = string.Join('\n', Enumerable.Range(0, sent).Select(i =>
            $$"""{"op":"place","account":"RL-1","clientOrderId":"rate-{{i}}","symbol":"AAPL","side":"buy","price":"1.00","quantity":1}"""));
        await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);
        int reports = 0, limited = 0;
        while (reports + limited < sent)
        {
            foreach (var line in Encoding.UTF8.GetString(await WebSocketJson.ReceiveFrameAsync(socket)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = System.Text.Json.JsonDocument.Parse(line);
                if (doc.RootElement.GetProperty("type").GetString() == "report") reports++;
                else if (doc.RootElement.GetProperty("status").GetInt32() == 429) limited++;
                else Assert.Fail(line);
            }
        }
        // A bucket of one second's worth: the first five pass, most of the rest (sent at once) do not.
        Assert.InRange(reports, 5, 10);
        Assert.Equal(sent, reports + limited);
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    private static long ResidentBytes(NodeProcess node) =>
        long.Parse(File.ReadLines($"/proc/{node.Pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    /// <summary>Sends frames of 1,000 orders without reading until <paramref name="limit"/> bytes or a 20 s stall; returns the bytes sent.</summary>
    private static async Task<long> HogAsync(NodeProcess node, string prefix, long limit)
    {
        using var hog = new ClientWebSocket();
        await hog.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/ws/v1/orders"), CancellationToken.None);
        var frame = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 1_000).Select(i =>
            $$"""{"op":"place","account":"HOG-1","clientOrderId":"{{prefix}}-{{i}}","symbol":"AAPL","side":"buy","price":"1.00","quantity":1}""")));
        using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sent = 0L;
        try
        {
            while (sent < limit)
            {
                await hog.SendAsync(frame, WebSocketMessageType.Text, true, stalled.Token);
                sent += frame.Length;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        hog.Abort();
        return sent;
    }

    /// <summary>Waits until the symbol's sequence has not moved for a second: what the node had taken is done.</summary>
    private static async Task SettleAsync(NodeProcess node)
    {
        long last = -1;
        for (var i = 0; i < 120; i++)
        {
            using var doc = JsonDocument.Parse(await node.Http.GetStringAsync("/api/v1/books/AAPL?depth=1"));
            var sequence = doc.RootElement.GetProperty("sequence").GetInt64();
            if (sequence == last) return;
            last = sequence;
            await Task.Delay(1_000);
        }
    }

    [Fact]
    public async Task A_client_that_sends_without_reading_is_pushed_back_and_leaves_the_nodes_memory_where_it_was()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A node without the tiny limits above: every order is accepted and answered with a full report.
        await using var node = await NodeProcess.StartAsync(RepositoryPaths.TempDirectory("hog-node"), ["--data-dir", "data", "--symbols", "AAPL"]);
        // Warm the node's order path first, so what is measured is the client and not the JIT.
        await HogAsync(node, "warm", 256 * 1024);
        await SettleAsync(node);
        var before = ResidentBytes(node);

        // 4 MB never read, then gone: the node's memory returns to within 50 MB of where it was (unbounded, the
        // reply queue alone grew it by 440 MB).
        var sent = await HogAsync(node, "hog", 4 * 1024 * 1024);
        await SettleAsync(node);
        var grown = ResidentBytes(node) - before;
        Assert.True(grown < 50L * 1024 * 1024, $"the node grew by {grown / 1024 / 1024} MB after {sent / 1024} KiB from a client that did not read");

        // Up to 40 MB (~330,000 orders): the node answers into its window of 10,000, then stops reading the session,
        // so the client's sends stall (TCP back-pressure) instead of the node queueing every report.
        var pushed = await HogAsync(node, "push", 40L * 1024 * 1024);
        Assert.True(pushed < 40L * 1024 * 1024, $"all {pushed / 1024} KiB were taken: nothing pushed back");
        using var book = await node.Http.GetAsync("/api/v1/books/AAPL");
        Assert.Equal(HttpStatusCode.OK, book.StatusCode);
    }
}
