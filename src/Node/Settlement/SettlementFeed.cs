using System.Collections.Concurrent;
using System.Threading.Channels;
using AkkaExchange.Actors.Settlement.Ledger;

namespace AkkaExchange.Node.Settlement;

/// <summary>
/// Pushes new settlement notices to this node's account sessions: one reader per node polls the ledger for notices
/// after the last it saw (numbers follow commit order, so it never skips one) and hands each to the sessions of its
/// account — one query per poll however many sessions are open. A session gets what was committed before it
/// subscribed from <see cref="SettlementStore.ReadSettlementsAsync"/>, then from here (dropping numbers it has seen).
/// A session that cannot keep up is closed rather than let its queue grow.
/// </summary>
public sealed class SettlementFeed(SettlementStore ledger, ILogger<SettlementFeed> log) : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private const int QueueLimit = 10_000;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<SettlementRecord>, byte>> _sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _loop;
    private long _last = -1;

    /// <summary>Accounts with at least one open session: an account leaves the feed with its last session.</summary>
    public int WatchedAccounts => _sessions.Count;

    /// <summary>A queue of the account's notices committed from now on; dispose it to leave.</summary>
    public async Task<Subscription> SubscribeAsync(string account, CancellationToken cancellation)
    {
        await StartAsync(cancellation);
        var channel = Channel.CreateBounded<SettlementRecord>(new BoundedChannelOptions(QueueLimit) { FullMode = BoundedChannelFullMode.DropWrite });
        // Joining and leaving under one lock: the last session of an account removes the account's entry, so the
        // map holds accounts watched now, not every account ever named in a URL.
        lock (_gate) _sessions.GetOrAdd(account, _ => new())[channel] = 0;
        return new Subscription(channel.Reader, () =>
        {
            lock (_gate)
                if (_sessions.TryGetValue(account, out var set) && set.TryRemove(channel, out _) && set.IsEmpty)
                    _sessions.TryRemove(account, out _);
            channel.Writer.TryComplete();
        });
    }

    private async Task StartAsync(CancellationToken cancellation)
    {
        if (Volatile.Read(ref _last) >= 0) return;
        // Start after what is committed now: sessions read anything older from the ledger themselves.
        var latest = await ledger.LatestSettlementSeqAsync(cancellation);
        lock (_gate)
        {
            if (_loop is not null) return;
            Volatile.Write(ref _last, latest);
            _loop = Task.Run(LoopAsync);
        }
    }

    private async Task LoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var rows = await ledger.ReadSettlementsAsync(null, Volatile.Read(ref _last), 5_000, _stopping.Token);
                foreach (var r in rows)
                    if (_sessions.TryGetValue(r.Notice.Account, out var set))
                        foreach (var channel in set.Keys)
                            if (!channel.Writer.TryWrite(r)) channel.Writer.TryComplete(new InvalidOperationException("settlement session too slow"));
                if (rows.Count > 0) Volatile.Write(ref _last, rows[^1].Seq);
                if (rows.Count < 5_000) await Task.Delay(Poll, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("settlement feed: {Error}; retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null) await _loop;
        _stopping.Dispose();
    }

    /// <summary>One session's queue of notices.</summary>
    public sealed class Subscription(ChannelReader<SettlementRecord> reader, Action leave) : IDisposable
    {
        public ChannelReader<SettlementRecord> Reader { get; } = reader;

        public void Dispose() => leave();
    }
}
