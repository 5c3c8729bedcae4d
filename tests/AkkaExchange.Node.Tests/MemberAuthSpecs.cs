using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>A node with member keys: only a member trades, and only for its own accounts; the rest is refused and changes nothing.</summary>
public sealed class MemberAuthSpecs(MemberAuthSpecs.KeyedNode fixture) : IClassFixture<MemberAuthSpecs.KeyedNode>
{
    public const string Bd017Key = "bd017-0123456789abcdef0123456789abcdef";
    public const string Bd018Key = "bd018-fedcba9876543210fedcba9876543210";
    public const string OperatorKey = "operator-00112233445566778899aabbccddeeff";

    /// <summary>An embedded node started with a keys file of two members (hashes only, as an operator writes it).</summary>
    public sealed class KeyedNode : IAsyncLifetime
    {
        public NodeProcess Node { get; private set; } = null!;
        public string Directory { get; } = RepositoryPaths.TempDirectory("keyed-node");

        public async Task InitializeAsync()
        {
            File.WriteAllText(Path.Combine(Directory, "members.keys"),
                $"# member  sha256 of its key\nBD017 sha256:{Hash(Bd017Key)}\nBD018 sha256:{Hash(Bd018Key)}  # second member\n"
                + string.Concat(LoadBrokers.Select(b => $"{b} sha256:{Hash(LoadKey(b))}\n")));
            // The load client's side: the plain keys of its simulated brokers.
            File.WriteAllText(Path.Combine(Directory, "load.keys"), string.Concat(LoadBrokers.Select(b => $"{b} {LoadKey(b)}\n")));
            Node = await NodeProcess.StartAsync(Directory, ["--data-dir", "data", "--symbols", "AAPL,MSFT", "--member-keys", "members.keys"],
                environment: new Dictionary<string, string> { ["Exchange__AdminToken"] = OperatorKey });
        }

        public async Task DisposeAsync() => await Node.DisposeAsync();
    }

    private static readonly string[] LoadBrokers = ["BD000", "BD001"];

    private static string LoadKey(string member) => $"load-{member}-00112233445566778899aabbccddeeff";

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return await fixture.Node.Http.SendAsync(request);
    }

    private static string Order(string account, string id) =>
        $$"""{"account":"{{account}}","clientOrderId":"{{id}}","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""";

    private async Task<long> SequenceAsync()
    {
        using var doc = JsonDocument.Parse(await fixture.Node.Http.GetStringAsync("/api/v1/books/AAPL"));
        return doc.RootElement.GetProperty("sequence").GetInt64();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Bd017Key)]
    [InlineData("operator-00112233445566778899aabbccddeefe")]
    [InlineData("x")]
    [InlineData(OperatorKey + "0")]
    public async Task The_admin_API_takes_the_operator_key_only(string? key)
    {
        using var refused = await SendAsync(HttpMethod.Get, "/admin/v1/members", key);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var answered = await SendAsync(HttpMethod.Get, "/admin/v1/members", OperatorKey);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-member-key-0000000000000000")]
    public async Task Without_a_valid_member_key_every_member_endpoint_answers_401_and_nothing_is_journaled(string? key)
    {
        var before = await SequenceAsync();
        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Post, "/api/v1/orders", Order("BD017-C1", "anon-1")),
            (HttpMethod.Get, "/api/v1/orders/BD017-C1/anon-1", null),
            (HttpMethod.Delete, "/api/v1/orders/BD017-C1/anon-1", null),
            (HttpMethod.Post, "/api/v1/orders/lookup", """{"orders":[{"symbol":"AAPL","account":"BD017-C1","clientOrderId":"anon-1"}]}"""),
            (HttpMethod.Get, "/api/v1/accounts/BD017-C1", null),
            (HttpMethod.Get, "/api/v1/accounts/BD017-C1/settlements", null),
        })
        {
            using var response = await SendAsync(method, path, key, body);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Contains("member key", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(before, await SequenceAsync());
        // Public market data needs no key.
        using var book = await SendAsync(HttpMethod.Get, "/api/v1/books/AAPL", null);
        Assert.Equal(HttpStatusCode.OK, book.StatusCode);
    }

    [Fact]
    public async Task A_member_acts_for_its_own_accounts_and_gets_403_for_another_members()
    {
        var before = await SequenceAsync();
        using (var foreign = await SendAsync(HttpMethod.Post, "/api/v1/orders", Bd017Key, Order("BD018-C1", "steal-1")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
            Assert.Contains("does not belong to member BD017", await foreign.Content.ReadAsStringAsync());
        }
        Assert.Equal(before, await SequenceAsync());
        foreach (var path in new[] { "/api/v1/accounts/BD018-C1", "/api/v1/accounts/BD018", "/api/v1/orders/BD018-C1/x1", "/api/v1/accounts/BD0171-C1" })
        {
            using var read = await SendAsync(HttpMethod.Get, path, Bd017Key);
            Assert.True(read.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)read.StatusCode}");
        }

        using (var own = await SendAsync(HttpMethod.Post, "/api/v1/orders", Bd017Key, Order("BD017-C1", "own-1")))
            Assert.True(own.IsSuccessStatusCode, await own.Content.ReadAsStringAsync());
        using (var lookup = await SendAsync(HttpMethod.Get, "/api/v1/orders/BD017-C1/own-1", Bd017Key))
            Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        // The other member cannot see, cancel or amend it.
        using (var peek = await SendAsync(HttpMethod.Get, "/api/v1/orders/BD017-C1/own-1", Bd018Key))
            Assert.Equal(HttpStatusCode.Forbidden, peek.StatusCode);
        using (var cancel = await SendAsync(HttpMethod.Delete, "/api/v1/orders/BD017-C1/own-1", Bd018Key))
            Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        using (var mixed = await SendAsync(HttpMethod.Post, "/api/v1/orders/lookup", Bd018Key,
                   """{"orders":[{"symbol":"AAPL","account":"BD018-C1","clientOrderId":"a"},{"symbol":"AAPL","account":"BD017-C1","clientOrderId":"own-1"}]}"""))
            Assert.Equal(HttpStatusCode.Forbidden, mixed.StatusCode);
        using (var account = await SendAsync(HttpMethod.Get, "/api/v1/accounts/BD017", Bd017Key))
            Assert.Equal(HttpStatusCode.OK, account.StatusCode);
    }

    [Fact]
    public async Task Order_entry_sockets_need_a_key_at_the_upgrade_and_answer_403_per_message_for_foreign_accounts()
    {
        var url = new Uri($"ws://127.0.0.1:{fixture.Node.Port}/ws/v1/orders");
        using (var anonymous = new ClientWebSocket())
        {
            anonymous.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(url, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.HttpStatusCode);
        }
        using (var page = new ClientWebSocket())
        {
            page.Options.CollectHttpResponseDetails = true;
            page.Options.SetRequestHeader("Authorization", "Bearer " + Bd017Key);
            page.Options.SetRequestHeader("Origin", "https://evil.example");
            await Assert.ThrowsAsync<WebSocketException>(() => page.ConnectAsync(url, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, page.HttpStatusCode);
        }

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + Bd017Key);
        await socket.ConnectAsync(url, CancellationToken.None);
        var before = await SequenceAsync();
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"op\":\"place\"," + Order("BD018-C2", "ws-steal")[1..]), WebSocketMessageType.Text, true, CancellationToken.None);
        var refused = await WebSocketJson.ReceiveAsync(socket);
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
        Assert.Equal("ws-steal", refused.GetProperty("clientOrderId").GetString());
        Assert.Equal(before, await SequenceAsync());
        // The session goes on.
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"op\":\"place\"," + Order("BD017-C2", "ws-own")[1..]), WebSocketMessageType.Text, true, CancellationToken.None);
        var accepted = await WebSocketJson.ReceiveAsync(socket);
        Assert.Equal("report", accepted.GetProperty("type").GetString());
        Assert.Equal("ws-own", accepted.GetProperty("report").GetProperty("clientOrderId").GetString());
    }

    [Fact]
    public async Task A_node_refuses_to_start_open_on_a_public_address_with_a_bad_keys_file_or_a_password_on_its_command_line()
    {
        var directory = RepositoryPaths.TempDirectory("open-node");
        var open = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            NodeProcess.StartAsync(directory, ["--data-dir", "data", "--urls", $"http://0.0.0.0:{FreePort.Next()}"], readyTimeout: TimeSpan.FromSeconds(60)));
        Assert.Contains("refusing to listen on http://0.0.0.0", open.Message);

        File.WriteAllText(Path.Combine(directory, "bad.keys"), "BD017 plaintext-key\n");
        var bad = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            NodeProcess.StartAsync(directory, ["--data-dir", "data2", "--member-keys", "bad.keys"], readyTimeout: TimeSpan.FromSeconds(60)));
        Assert.Contains("bad.keys:1: expected 'MEMBER sha256:", bad.Message);

        var password = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            NodeProcess.StartAsync(directory, ["--data-dir", "data3", "--connection-string", "Host=x;Password=secret"], readyTimeout: TimeSpan.FromSeconds(60)));
        Assert.Contains("--connection-string is not accepted", password.Message);
    }

    [Fact]
    public void The_data_directory_and_its_files_are_readable_by_the_node_user_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var data = Path.Combine(fixture.Directory, "data");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        var files = System.IO.Directory.GetFiles(data, "*.db");
        Assert.NotEmpty(files);
        foreach (var f in files) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f));
    }

    [Fact]
    public async Task The_load_client_trades_with_each_brokers_own_key_and_verifies_every_acknowledged_order()
    {
        var url = fixture.Node.BaseAddress.ToString().TrimEnd('/');
        string[] arguments = ["--profile", "custom", "--symbols", "2", "--brokers", "2", "--customers", "3", "--rate", "60", "--seconds", "3",
            "--warmup", "1", "--url", url];
        await using (var keyed = LoadClient.Start([.. arguments, "--keys-file", Path.Combine(fixture.Directory, "load.keys")]))
        {
            var lines = await keyed.FinishAsync(TimeSpan.FromMinutes(2));
            Assert.True(keyed.ExitCode == 0, string.Join('\n', lines.TakeLast(5)) + keyed.Errors);
            Assert.Matches(@"^load: sent=\d+ acked=[1-9]\d* rejected=\d+ errors=0 lost=0", lines[^1]);
        }
        await using var anonymous = LoadClient.Start(arguments);
        await anonymous.FinishAsync(TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, anonymous.ExitCode);
    }
}
