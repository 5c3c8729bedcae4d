using AkkaExchange.Actors.Domain.Settlement;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Persistence.Settlement;
using Microsoft.Extensions.Logging;

namespace AkkaExchange.Actors.Settlement;

/// <summary>
/// The settlement singleton: a durable projection of the journal's trades into the ledger. Each batch reads the
/// trades after its offsets, settles them (<see cref="SettlementLogic"/>) and commits legs, notices and the new
/// offsets in one transaction, fenced by its singleton lease in a cluster. A crash anywhere replays from the last
/// committed offsets, and the ledger's keys make a replayed trade change nothing: exactly-once in effect.
/// </summary>
public sealed class SettlementActor(SettlementStore store, FeeSchedule fees, SingletonToken? fence, SettlementSettings settings, ILogger log) : Actor
{
    private sealed record Poll
    {
        public static Poll Instance { get; } = new();
    }

    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private readonly Random _faults = new(7);
    private Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private long _settled;
    private long _dropped;
    private long _lastLag;

    protected internal override async Task StartAsync(CancellationToken cancellation)
    {
        _offsets = await store.ReadOffsetsAsync(cancellation);
        Self.Tell(Poll.Instance);
    }

    protected internal override async ValueTask ReceiveAsync(Envelope envelope)
    {
        switch (envelope.Message)
        {
            case Poll:
                // Exactly one Poll circulates: a failure is logged and retried after a pause, never thrown (a restart
                // would start a second loop). Offsets move only after a commit, so a retry re-reads the same trades.
                TimeSpan? wait;
                try
                {
                    wait = await SettleNextAsync() ? null : settings.PollInterval;
                }
                catch (Exception e)
                {
                    log.LogWarning("settlement batch failed ({Error}); retrying", e.Message);
                    wait = RetryPause;
                }
                if (wait is null) Self.Tell(Poll.Instance);
                else _ = Task.Delay(wait.Value).ContinueWith(_ => Self.Tell(Poll.Instance), TaskScheduler.Default);
                break;
            case GetSettlementStatus:
                envelope.Reply(new SettlementStatus(_settled, _dropped, _lastLag, _offsets.Values.Sum()));
                break;
        }
    }

    /// <summary>Settles one batch; true when it was at least half full (read again at once), false to wait a poll interval.</summary>
    private async Task<bool> SettleNextAsync()
    {
        var batch = await store.ReadTradesAsync(_offsets, Math.Max(64, settings.EventsPerBatch / Math.Max(1, _offsets.Count)));
        if (batch.EventsRead == 0) return false;
        var full = batch.EventsRead >= settings.EventsPerBatch / 2;
        var postings = new List<Posting>(batch.Trades.Count * 7);
        var notices = new List<SettlementNotice>(batch.Trades.Count * 2);
        var dropped = 0;
        foreach (var trade in batch.Trades)
        {
            if (settings.DropRate > 0 && _faults.NextDouble() < settings.DropRate)
            {
                dropped++;
                continue;
            }
            var settled = SettlementLogic.Settle(trade, fees);
            postings.AddRange(settled.Postings);
            notices.AddRange(settled.Notices);
        }
        await store.CommitAsync(new SettlementBatch(postings, notices, batch.Offsets), fence);
        foreach (var (symbol, seq) in batch.Offsets) _offsets[symbol] = seq;
        _settled += batch.Trades.Count - dropped;
        _dropped += dropped;
        if (dropped > 0) log.LogWarning("fault injection: {Dropped} trade deliveries dropped", dropped);
        if (batch.Trades.Count > 0) _lastLag = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10 - batch.Trades[^1].Timestamp;
        // Under a steady flow, wait a poll interval between batches rather than commit a trickle back to back:
        // each commit has a fixed cost (read over every symbol, lock, fence, flush) that batching spreads.
        return full;
    }
}
