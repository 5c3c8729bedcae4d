using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.TestSupport;
using Microsoft.Data.Sqlite;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// Settlement and reconciliation on a real embedded node under the load client: deliveries dropped by fault
/// injection are found and replayed by one reconciliation run (audited), after which every trade is settled exactly
/// once and cash and shares are conserved; accounts, notices and runs are served by the API and the WebSocket.
/// </summary>
public sealed class SettlementProcessSpecs
{
    private const string Token = "settlement-admin-token-0123456789";
    private static readonly FeeSchedule Fees = new(2, 1);

    [Fact]
    public async Task A_load_run_settles_every_trade_once_after_reconciliation_repairs_the_dropped_deliveries()
    {
        var dir = RepositoryPaths.TempDirectory("settle");
        await using var node = await NodeProcess.StartAsync(dir, ["--data-dir", "data", "--symbols", "AAPL,MSFT,TSLA,NVDA", "--node-id", "settle-node",
            "--settlement-drop-rate", "0.05", "--broker-fee-bps", "2", "--exchange-fee-bps", "1", "--reconciliation-interval", "01:00:00"],
            environment: new Dictionary<string, string> { ["Exchange__AdminToken"] = Token });
        var url = node.BaseAddress.ToString().TrimEnd('/');

        using var feed = new ClientWebSocket();
        await feed.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/ws/v1/accounts/BD000-C000/settlements?after=0"), CancellationToken.None);

        await using (var load = LoadClient.Start(["--profile", "custom", "--symbols", "4", "--brokers", "4", "--customers", "5", "--rate", "200",
                         "--mix", "limit=70,market=15,ioc=5,cancel=10,amend=0", "--seconds", "8", "--warmup", "1", "--url", url,
                         "--opening-cash", "1000000", "--opening-shares", "100000"],
                         new Dictionary<string, string> { ["AKKAEX_ADMIN_TOKEN"] = Token }))
        {
            var lines = await load.FinishAsync(TimeSpan.FromMinutes(2));
            Assert.True(load.ExitCode == 0, string.Join('\n', lines.TakeLast(5)) + load.Errors);
            Assert.Contains(lines, l => l.StartsWith("load: opening balances: 100 of 100 deposits new", StringComparison.Ordinal));
        }

        var first = await WebSocketJson.ReceiveAsync(feed).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("settlement", first.GetProperty("type").GetString());
        Assert.Equal("BD000-C000", first.GetProperty("settlement").GetProperty("account").GetString());

        async Task<System.Data.Common.DbConnection> Open()
        {
            // The ledger's file, with the journal's attached: the audit reads both.
            var c = new SqliteConnection($"Data Source={Path.Combine(dir, "data", "ledger.db")};Mode=ReadOnly;Pooling=False");
            await c.OpenAsync();
            await using var attach = new SqliteCommand("ATTACH DATABASE @p AS j", c);
            attach.Parameters.AddWithValue("@p", Path.Combine(dir, "data", "journal.db"));
            await attach.ExecuteNonQueryAsync();
            return c;
        }
        await LedgerAudit.WaitCaughtUpAsync(Open, TimeSpan.FromMinutes(1));

        node.Http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        using var repaired = await (await node.Http.PostAsync("/api/v1/reconciliation/runs", null)).Content.ReadFromJsonAsync<JsonDocument>();
        var run = repaired!.RootElement;
        Assert.Equal("repaired", run.GetProperty("outcome").GetString());
        Assert.True(run.GetProperty("replayed").GetInt64() > 0);
        Assert.Equal(run.GetProperty("missing").GetInt64(), run.GetProperty("replayed").GetInt64());
        Assert.Contains(run.GetProperty("details").EnumerateArray(), d => d.GetString()!.EndsWith("not settled; replayed", StringComparison.Ordinal));

        using var full = await (await node.Http.PostAsJsonAsync("/api/v1/reconciliation/runs", new { scope = "full" })).Content.ReadFromJsonAsync<JsonDocument>();
        Assert.Equal(("clean", 0L), (full!.RootElement.GetProperty("outcome").GetString(), full.RootElement.GetProperty("missing").GetInt64()));
        using var audit = await node.Http.GetFromJsonAsync<JsonDocument>("/api/v1/reconciliation/runs");
        Assert.Equal(["clean", "repaired"], audit!.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));

        await using (var c = await Open()) await LedgerAudit.AssertSettledExactlyOnceAndConservedAsync(c, Fees);

        // The API's view of an account is the ledger's.
        using var account = await node.Http.GetFromJsonAsync<JsonDocument>("/api/v1/accounts/BD001-C002");
        var shares = account!.RootElement.GetProperty("positions").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.Equal("BD001", account.RootElement.GetProperty("broker").GetString());
        Assert.True(shares > 0);
        using var notices = await node.Http.GetFromJsonAsync<JsonDocument>("/api/v1/accounts/BD001-C002/settlements?limit=1000");
        var seqs = notices!.RootElement.GetProperty("settlements").EnumerateArray().Select(n => n.GetProperty("seq").GetInt64()).ToArray();
        Assert.NotEmpty(seqs);
        // A session opened later catches up from the ledger: every notice of the account, in order, once.
        using (var late = new ClientWebSocket())
        {
            await late.ConnectAsync(new Uri($"ws://127.0.0.1:{node.Port}/ws/v1/accounts/BD001-C002/settlements?after=0"), CancellationToken.None);
            var received = new List<long>();
            while (received.Count < seqs.Length)
                received.Add((await WebSocketJson.ReceiveAsync(late).WaitAsync(TimeSpan.FromSeconds(30))).GetProperty("settlement").GetProperty("seq").GetInt64());
            Assert.Equal(seqs, received);
        }

        // Without the token: no deposits, no runs; bad input changes nothing.
        using var anonymous = new HttpClient { BaseAddress = node.BaseAddress };
        Assert.Equal(401, (int)(await anonymous.PostAsync("/api/v1/reconciliation/runs", null)).StatusCode);
        Assert.Equal(401, (int)(await anonymous.PostAsJsonAsync("/api/v1/accounts/BD001-C002/deposits", new { reference = "x", asset = "CASH", amount = "1" })).StatusCode);
        Assert.Equal(400, (int)(await node.Http.PostAsJsonAsync("/api/v1/accounts/BD001-C002/deposits", new { reference = "y", asset = "CASH", amount = "0.001" })).StatusCode);
        Assert.Equal(400, (int)(await node.Http.PostAsJsonAsync("/api/v1/accounts/EXCHANGE/deposits", new { reference = "z", asset = "CASH", amount = "1" })).StatusCode);
        Assert.Equal(400, (int)(await node.Http.PostAsJsonAsync("/api/v1/accounts/BD001-C002/deposits", new { reference = "w", asset = "CASH", amount = true })).StatusCode);
        Assert.Equal(400, (int)(await node.Http.PostAsJsonAsync("/api/v1/accounts/BD001-C002/deposits", new { reference = 7, asset = "CASH", amount = "1" })).StatusCode);
        Assert.Equal(400, (int)(await node.Http.GetAsync("/api/v1/accounts/bad%20account")).StatusCode);
        Assert.Equal(400, (int)(await node.Http.PostAsJsonAsync("/api/v1/reconciliation/runs", new { scope = 7 })).StatusCode);
        Assert.Equal(400, (int)(await node.Http.PostAsJsonAsync("/api/v1/reconciliation/runs", new { scope = new[] { "full" } })).StatusCode);
    }
}
