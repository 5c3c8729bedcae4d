using System.Net;
using System.Net.WebSockets;
using System.Text;
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

    [Fact]
    public async Task A_client_that_sends_without_reading_holds_bounded_memory_and_does_not_stop_the_node()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A node without the tiny limits above: every order is accepted and answered with a full report.
        await using var node = await NodeProcess.StartAsync(RepositoryPaths.TempDirectory("hog-node"), ["--data-dir", "data", "--symbols", "AAPL"]);
        using var hog = new ClientWebSocket();
        await hog.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/ws/v1/orders"), CancellationToken.None);
        var before = ResidentBytes(node);
        // Up to 40 MB of orders (~330,000), never reading an answer: the node answers into its window of 10,000,
        // then stops reading this session, so the client's sends stall (TCP back-pressure) instead of the node
        // queueing every report (unbounded, it grew by 440 MB from less than this).
        var frame = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 1_000).Select(i =>
            $$"""{"op":"place","account":"HOG-1","clientOrderId":"hog-{{i}}","symbol":"AAPL","side":"buy","price":"1.00","quantity":1}""")));
        using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sent = 0L;
        try
        {
            while (sent < 40 * 1024 * 1024)
            {
                await hog.SendAsync(frame, WebSocketMessageType.Text, true, stalled.Token);
                sent += frame.Length;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        var grown = ResidentBytes(node) - before;
        Assert.True(grown < 150L * 1024 * 1024, $"the node grew by {grown / 1024 / 1024} MB after {sent / 1024} KiB from a client that does not read");
        Assert.True(sent < 40 * 1024 * 1024, $"all {sent / 1024} KiB were taken: nothing pushed back");
        // Everyone else is still served.
        using var book = await node.Http.GetAsync("/api/v1/books/AAPL");
        Assert.Equal(HttpStatusCode.OK, book.StatusCode);
        hog.Abort();
    }
}
