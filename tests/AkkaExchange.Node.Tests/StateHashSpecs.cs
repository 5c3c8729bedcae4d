using System.Net.Http.Headers;
using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// <c>GET /admin/v1/state</c>: every symbol's journal sequence and state hash, and the ledger's hash. A node restarted
/// on its data recovers to the very same answer; one more order changes its symbol's hash and nothing else.
/// </summary>
public sealed class StateHashSpecs
{
    private const string Token = "state-hash-admin-token-0123";

    [Fact]
    public async Task A_restarted_node_recovers_to_the_same_state_hashes_and_an_order_changes_only_its_symbol()
    {
        var dir = RepositoryPaths.TempDirectory("state-hash");
        string[] args = ["--data-dir", "data", "--symbols", "AAPL,MSFT,TSLA"];
        var environment = new Dictionary<string, string> { ["Exchange__AdminToken"] = Token };
        JsonElement before;
        await using (var node = await NodeProcess.StartAsync(dir, args, environment: environment))
        {
            node.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            foreach (var (account, id, symbol, side, price) in new[]
                     {
                         ("BD001-C001", "s1", "AAPL", "sell", "100.00"), ("BD002-C001", "b1", "AAPL", "buy", "100.00"),
                         ("BD001-C001", "s2", "MSFT", "sell", "50.00"), ("BD002-C001", "b2", "MSFT", "buy", "49.00"),
                     })
                await ExchangeCalls.PlaceAsync(node, account, id, symbol, side, price);
            // The AAPL trade settles within the settlement poll: wait for it in the ledger's counts.
            before = await ExchangeCalls.SettledStateAsync(node, settlements: 2);
            Assert.Equal(0, await node.StopAsync());
        }

        await using var again = await NodeProcess.StartAsync(dir, args, environment: environment);
        again.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var recovered = await ExchangeCalls.StateAsync(again);
        Assert.Equal(before.ToString(), recovered.ToString());
        // The symbols that traded stand where their journals end; the untouched one at 0.
        Assert.Equal([("AAPL", true), ("MSFT", true), ("TSLA", false)], Symbols(recovered).Select(s => (s.Symbol, s.Sequence > 0)));

        await ExchangeCalls.PlaceAsync(again, "BD003-C001", "s3", "TSLA", "sell", "10.00");
        var after = await ExchangeCalls.StateAsync(again);
        var changed = Symbols(before).Zip(Symbols(after)).Where(p => p.Item1 != p.Item2).Select(p => p.Item2.Symbol).ToArray();
        Assert.Equal(["TSLA"], changed);
        Assert.Equal(before.GetProperty("ledger").ToString(), after.GetProperty("ledger").ToString());
    }

    private static IEnumerable<(string Symbol, long Sequence, string Hash)> Symbols(JsonElement state) =>
        state.GetProperty("symbols").EnumerateArray().Select(s =>
            (s.GetProperty("symbol").GetString()!, s.GetProperty("sequence").GetInt64(), s.GetProperty("stateHash").GetString()!));
}
