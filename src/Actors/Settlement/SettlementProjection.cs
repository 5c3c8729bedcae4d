using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Settlement;

/// <summary>
/// The settlement singleton: a durable projection of the symbols' journals into the ledger. It follows every
/// symbol's rows from its committed offset (<see cref="JournalTrades.Live"/>), gathers them into batches, settles
/// their trades (<see cref="SettlementLogic"/>) and commits legs, notices and the new offsets in one ledger
/// transaction, proved by its lease in a cluster (<see cref="ILedgerFence"/>). A failure anywhere starts the
/// stream again from the committed offsets, and the ledger's keys make a trade read twice change nothing:
/// exactly-once in effect.
/// </summary>
public sealed class SettlementProjection : ReceiveActor, IWithTimers
{
    // The actor's own messages, never sent between nodes.
    private sealed record Start : INoSerializationVerificationNeeded;
    private sealed record Started(IReadOnlyDictionary<string, long> Offsets) : INoSerializationVerificationNeeded;
    private sealed record Committed(int Trades, int Dropped, long LagMicros, IReadOnlyDictionary<string, long> Offsets) : INoSerializationVerificationNeeded;
    private sealed record Failed(Exception Cause) : INoSerializationVerificationNeeded;
    private sealed record Ended : INoSerializationVerificationNeeded;

    private readonly SettlementStore _store;
    private readonly JournalTrades _journal;
    private readonly IReadOnlyList<string> _persistenceIds;
    private readonly FeeSchedule _fees;
    private readonly ILedgerFence? _fence;
    private readonly SettlementSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly Random _faults = new(7);
    private UniqueKillSwitch? _stream;
    private long _settled, _dropped, _lastLag;

    public SettlementProjection(SettlementStore store, JournalTrades journal, IReadOnlyList<string> persistenceIds, FeeSchedule fees,
        ILedgerFence? fence, SettlementSettings settings)
    {
        _store = store;
        _journal = journal;
        _persistenceIds = persistenceIds;
        _fees = fees;
        _fence = fence;
        _settings = settings;
        Receive<Start>(_ => _store.ReadOffsetsAsync().PipeTo(Self, success: o => new Started(o), failure: e => new Failed(e)));
        Receive<Started>(s => Run(s.Offsets));
        Receive<Committed>(c =>
        {
            _settled += c.Trades - c.Dropped;
            _dropped += c.Dropped;
            if (c.Trades > 0)
            {
                _lastLag = c.LagMicros;
                SettlementMetrics.Lag(c.LagMicros);
                SettlementMetrics.Settled(c.Trades - c.Dropped);
            }
            foreach (var (id, row) in c.Offsets) _offsets[id] = row;
            if (c.Dropped > 0) _log.Warning("fault injection: {0} trade deliveries dropped", c.Dropped);
        });
        Receive<Failed>(f =>
        {
            _stream?.Shutdown();
            _stream = null;
            _log.Warning("settlement stopped ({0}); starting again from the committed offsets in {1}", f.Cause.Message, _settings.Pause);
            Timers.StartSingleTimer(nameof(Start), new Start(), _settings.Pause);
        });
        Receive<Ended>(_ => Self.Tell(new Failed(new InvalidOperationException("journal stream ended"))));
        Receive<GetSettlementStatus>(_ => Sender.Tell(new SettlementStatus(_settled, _dropped, _lastLag, _offsets.Values.Sum())));
    }

    public static Props Props(SettlementStore store, JournalTrades journal, IReadOnlyList<string> persistenceIds, FeeSchedule fees, ILedgerFence? fence,
        SettlementSettings settings) =>
        Akka.Actor.Props.Create(() => new SettlementProjection(store, journal, persistenceIds, fees, fence, settings));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        SettlementMetrics.SettlementRunning(true);
        Self.Tell(new Start());
    }

    protected override void PostStop()
    {
        SettlementMetrics.SettlementRunning(false);
        _stream?.Shutdown();
    }

    private void Run(IReadOnlyDictionary<string, long> committed)
    {
        foreach (var id in _persistenceIds) _offsets[id] = committed.GetValueOrDefault(id);
        var self = Self;
        var offsets = new Dictionary<string, long>(_offsets, StringComparer.Ordinal);
        _stream = Source.From(_persistenceIds)
            .MergeMany(Math.Max(1, _persistenceIds.Count), id => _journal.Live(id, offsets[id]))
            .GroupedWithin(_settings.RowsPerBatch, _settings.BatchWindow)
            .SelectAsync(1, rows => CommitAsync(rows.ToList()))
            .ViaMaterialized(KillSwitches.Single<Committed>(), Keep.Right)
            .To(Sink.ActorRef<Committed>(self, new Ended(), e => new Failed(e)))
            .Run(Context.Materializer());
    }

    /// <summary>Settles a batch of rows in one ledger transaction; runs on the stream, one batch at a time.</summary>
    private async Task<Committed> CommitAsync(IReadOnlyList<JournalRow> rows)
    {
        var postings = new List<Posting>();
        var notices = new List<SettlementNotice>();
        var reached = new Dictionary<string, long>(StringComparer.Ordinal);
        int trades = 0, dropped = 0;
        long lastTradeTime = 0;
        foreach (var row in rows)
        {
            reached[row.PersistenceId] = Math.Max(reached.GetValueOrDefault(row.PersistenceId), row.RowNumber);
            foreach (var e in row.Events.Events)
            {
                if (e is not TradeExecuted trade) continue;
                trades++;
                lastTradeTime = Math.Max(lastTradeTime, trade.Timestamp);
                if (_settings.DropRate > 0 && _faults.NextDouble() < _settings.DropRate)
                {
                    dropped++;
                    continue;
                }
                var settled = SettlementLogic.Settle(trade, _fees);
                postings.AddRange(settled.Postings);
                notices.AddRange(settled.Notices);
            }
        }
        await _store.CommitAsync(new SettlementBatch(postings, notices, reached), _fence).ConfigureAwait(false);
        var lag = trades == 0 ? 0 : (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10 - lastTradeTime;
        return new Committed(trades, dropped, lag, reached);
    }
}
