using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Actors.Symbols;

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
public sealed class ReconciliationActor : ReceiveActor, IWithTimers
{
    public const string SinceLastClean = "since-last-clean";
    public const string Full = "full";

    private sealed record Tick : INoSerializationVerificationNeeded
    {
        public static Tick Instance { get; } = new();
    }

    private readonly SettlementStore _store;
    private readonly JournalTrades _journal;
    private readonly FeeSchedule _fees;
    private readonly ILedgerFence? _fence;
    private readonly ReconciliationSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DateTime _nextScheduled;

    public ReconciliationActor(SettlementStore store, JournalTrades journal, FeeSchedule fees, ILedgerFence? fence, ReconciliationSettings settings)
    {
        _store = store;
        _journal = journal;
        _fees = fees;
        _fence = fence;
        _settings = settings;
        _nextScheduled = DateTime.UtcNow + settings.Interval;
        ReceiveAsync<Tick>(async _ =>
        {
            // A failure is logged and the next tick tries again: the singleton keeps its one loop.
            try
            {
                if (await _store.NextRequestAsync() is { } request)
                    await RunAsync(request.Scope is Full ? Full : SinceLastClean, "manual", request.RequestId);
                else if (DateTime.UtcNow > _nextScheduled)
                    await RunAsync(SinceLastClean, "scheduled", null);
            }
            catch (Exception e)
            {
                _log.Warning("reconciliation failed ({0}); the next tick tries again", e.Message);
            }
            // Re-armed after each tick, so ticks never pile up behind a long run.
            Timers.StartSingleTimer(nameof(Tick), Tick.Instance, _settings.RequestPoll);
        });
        ReceiveAsync<RunReconciliation>(async run =>
        {
            var sender = Sender;
            try
            {
                sender.Tell(await RunAsync(run.Scope is Full ? Full : SinceLastClean, run.Trigger, null));
            }
            catch (Exception e)
            {
                sender.Tell(new Status.Failure(e));
            }
        });
    }

    public static Props Props(SettlementStore store, JournalTrades journal, FeeSchedule fees, ILedgerFence? fence, ReconciliationSettings settings) =>
        Akka.Actor.Props.Create(() => new ReconciliationActor(store, journal, fees, fence, settings));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        SettlementMetrics.ReconciliationRunning(true);
        Timers.StartSingleTimer(nameof(Tick), Tick.Instance, _settings.RequestPoll);
    }

    protected override void PostStop() => SettlementMetrics.ReconciliationRunning(false);

    private async Task<ReconciliationRun> RunAsync(string scope, string trigger, string? requestId)
    {
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Settlement's offsets first: every trade at or below them should be settled by now.
        var offsets = await _store.ReadOffsetsAsync();
        var checkpoints = scope == Full ? new Dictionary<string, ReconciliationCheckpoint>() : await _store.ReadCheckpointsAsync();
        long checkedTrades = 0, missing = 0, replayed = 0, mismatched = 0, extra = 0, imbalanced = 0, positionBreaks = 0;
        long windowFrom = 0, windowTo = 0;
        var details = new List<string>();
        var moved = new List<ReconciliationCheckpoint>();
        var materializer = Context.Materializer();
        foreach (var (persistenceId, upTo) in offsets.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var symbol = SymbolEntity.SymbolOf(persistenceId);
            var start = checkpoints.GetValueOrDefault(symbol) ?? new ReconciliationCheckpoint(symbol, 0, 0);
            if (upTo <= start.SequenceNr) continue;
            var trades = await _journal.TradesAsync(persistenceId, start.SequenceNr, upTo, materializer);
            if (trades.Count == 0)
            {
                moved.Add(start with { SequenceNr = upTo });
                continue;
            }
            var lastTradeId = trades[^1].Trade.TradeId;
            var postings = await _store.ReadPostingsAsync(symbol, start.TradeId, lastTradeId);
            var found = Reconciler.Compare(trades.Select(t => t.Trade).ToArray(), postings, _fees);
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
                await _store.CommitAsync(new SettlementBatch(found.Repairs, found.RepairNotices), _fence);
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
        var id = await _store.RecordRunAsync(run, requestId, moved, _fence);
        SettlementMetrics.Run(outcome, mismatched + extra);
        _nextScheduled = DateTime.UtcNow + _settings.Interval;
        var summary = $"reconciliation run {id} ({scope}, {trigger}): {checkedTrades} trades, {missing} missing, {replayed} replayed, {mismatched} mismatched, {extra} extra: {outcome}";
        if (outcome == "clean") _log.Info(summary);
        else _log.Warning(summary);
        return run with { RunId = id };
    }

    private void Note(List<string> details, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            if (details.Count >= _settings.MaxDetails) return;
            details.Add(line);
        }
    }
}
