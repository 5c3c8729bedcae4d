using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Node.Settlement;
using AkkaExchange.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaExchange.Node.Tests;

/// <summary>The settlement feed holds accounts being watched now, not every account ever named in a URL.</summary>
public sealed class SettlementFeedSpecs
{
    [Fact]
    public async Task An_account_leaves_the_feed_with_its_last_session()
    {
        await using var ledger = new SqliteSettlementStore(Path.Combine(RepositoryPaths.TempDirectory("feed"), "ledger.db"));
        await ledger.InitializeAsync([]);
        await using var feed = new SettlementFeed(ledger, NullLogger<SettlementFeed>.Instance);

        // A client walking through account names: each session comes and goes; nothing stays behind.
        for (var i = 0; i < 1_000; i++)
        {
            using var session = await feed.SubscribeAsync($"BD001-W{i:D4}", CancellationToken.None);
            Assert.Equal(1, feed.WatchedAccounts);
        }
        Assert.Equal(0, feed.WatchedAccounts);

        // Two sessions of one account: the account stays while either is open, and its queue ends with its session.
        var first = await feed.SubscribeAsync("BD001-C001", CancellationToken.None);
        var second = await feed.SubscribeAsync("BD001-C001", CancellationToken.None);
        Assert.Equal(1, feed.WatchedAccounts);
        first.Dispose();
        Assert.Equal(1, feed.WatchedAccounts);
        Assert.True(first.Reader.Completion.IsCompleted);
        Assert.False(second.Reader.Completion.IsCompleted);
        second.Dispose();
        Assert.Equal(0, feed.WatchedAccounts);
    }
}
