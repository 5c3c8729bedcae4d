using System.Diagnostics;
using AkkaExchange.Actors.Domain.Settlement;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Persistence.Settlement;
using Microsoft.Extensions.Logging;

namespace AkkaExchange.Actors.Settlement;

/// <summary>
/// The reconciliation singleton. Periodically, on a request found in <c>reconciliation_requests</c> (any node's API
/// writes one) or on <see cref="RunReconciliation"/>, it compares each symbol's journal trades up to the settlement
/// offset with the ledger legs of the same trade ids (<see cref="Reconciler"/>), one symbol at a time and by index:
/// from the symbol's checkpoint (the end of its last clean comparison) or, for a "full" run, from the start. Missing
/// legs and notices are posted again through the ledger's idempotent keys, mismatches and extras are only reported,
/// and the run goes to the audit table with its counts. A symbol's checkpoint moves only when nothing unresolved was
/// found in it, so a break is reported again by every run until a person deals with it.
/// </summary>
public sealed class ReconciliationActor(SettlementStore store, FeeSchedule fees, SingletonToken? fence, ReconciliationSettings settings, ILogger log)
    : Actor
{
    public const string SinceLastClean = "since-last-clean";
    public const string Full = "full";

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private long _nextScheduled;

    protected internal override Task StartAsync(CancellationToken cancellation)
    {
        _nextScheduled = Stopwatch.GetTimestamp() + (long)(settings.Interval.TotalSeconds * Stopwatch.Frequency);
        Self.Tell(Tick.Instance);
        return Task.CompletedTask;
    }

    protected internal override async ValueTask ReceiveAsync(Envelope envelope)
    {
        switch (envelope.Message)
        {
            case Tick:
                // Exactly one Tick circulates: failures are logged, never thrown (a restart would start a second loop).
                try
                {
                    if (await store.NextRequestAsync() is { } request)
                        await RunAsync(request.Scope is Full ? Full : SinceLastClean, "manual", request.RequestId);
                    else if (Stopwatch.GetTimestamp() > _nextScheduled)
                        await RunAsync(SinceLastClean, "scheduled", null);
                }
                catch (Exception e)
                {
                    log.LogWarning("reconciliation failed ({Error}); the next tick tries again", e.Message);
                }
                _ = Task.Delay(settings.RequestPoll).ContinueWith(_ => Self.Tell(Tick.Instance), TaskScheduler.Default);
                break;
            case RunReconciliation run:
                try
                {
                    envelope.Reply(await RunAsync(run.Scope is Full ? Full : SinceLastClean, run.Trigger, null));
                }
                catch (Exception e)
                {
                    envelope.Fail(e);
                }
                break;
        }
    }

    private async Task<ReconciliationRun> RunAsync(string scope, string trigger, string? requestId)
    {
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Settlement's offsets first: every trade at or below them should be settled by now.
        var offsets = await store.ReadOffsetsAsync();
        var checkpoints = scope == Full ? new Dictionary<string, ReconciliationCheckpoint>() : await store.ReadCheckpointsAsync();
        long checkedTrades = 0, missing = 0, replayed = 0, mismatched = 0, extra = 0, imbalanced = 0, positionBreaks = 0;
        long windowFrom = 0, windowTo = 0;
        var details = new List<string>();
        var moved = new List<ReconciliationCheckpoint>();
        foreach (var (symbol, upTo) in offsets.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var start = checkpoints.GetValueOrDefault(symbol) ?? new ReconciliationCheckpoint(symbol, 0, 0);
            if (upTo <= start.SequenceNr) continue;
            var trades = await store.ReadJournalTradesAsync(symbol, start.SequenceNr, upTo);
            if (trades.Count == 0)
            {
                moved.Add(start with { SequenceNr = upTo });
                continue;
            }
            var lastTradeId = trades[^1].Trade.TradeId;
            var postings = await store.ReadPostingsAsync(symbol, start.TradeId, lastTradeId);
            var found = Reconciler.Compare(trades.Select(t => t.Trade).ToArray(), postings, fees);
            checkedTrades += found.TradesChecked;
            windowFrom = windowFrom == 0 ? trades[0].Trade.Timestamp : Math.Min(windowFrom, trades[0].Trade.Timestamp);
            windowTo = Math.Max(windowTo, trades[^1].Trade.Timestamp);
            missing += found.Missing.Count + found.Incomplete.Count;
            mismatched += found.Mismatched.Count;
            extra += found.Extra.Count;
            imbalanced += found.ImbalancedAssets.Count;
            positionBreaks += found.PositionBreaks;
            if (found.Repairs.Count > 0)
            {
                await store.CommitAsync(new SettlementBatch(found.Repairs, found.RepairNotices), fence);
                replayed += found.Missing.Count + found.Incomplete.Count;
                Note(details, found.Missing.Select(s => $"{symbol} trade {s.Trade.TradeId}: not settled; replayed"));
                Note(details, found.Incomplete.Select(s => $"{symbol} trade {s.Trade.TradeId}: legs missing; replayed"));
            }
            Note(details, found.Mismatched.Select(m => "MISMATCH " + m));
            Note(details, found.Extra.Select(p => $"EXTRA {p.Symbol} trade {p.TradeId}: {p.Account} {p.Asset} {p.Amount} has no trade in the journal"));
            if (!found.HasUnresolved) moved.Add(new ReconciliationCheckpoint(symbol, upTo, lastTradeId));
        }
        var outcome = mismatched > 0 || extra > 0 ? "breaks" : replayed > 0 ? "repaired" : "clean";
        var run = new ReconciliationRun(0, trigger, scope, startedAt, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), windowFrom, windowTo, checkedTrades,
            missing, replayed, mismatched, extra, imbalanced, positionBreaks, outcome, string.Join('\n', details));
        var id = await store.RecordRunAsync(run, requestId, moved, fence);
        _nextScheduled = Stopwatch.GetTimestamp() + (long)(settings.Interval.TotalSeconds * Stopwatch.Frequency);
        var level = outcome == "clean" ? LogLevel.Information : LogLevel.Warning;
        log.Log(level, "reconciliation run {Run} ({Scope}, {Trigger}): {Checked} trades, {Missing} missing, {Replayed} replayed, {Mismatched} mismatched, {Extra} extra: {Outcome}",
            id, scope, trigger, checkedTrades, missing, replayed, mismatched, extra, outcome);
        return run with { RunId = id };
    }

    private void Note(List<string> details, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            if (details.Count >= settings.MaxDetails) return;
            details.Add(line);
        }
    }
}
