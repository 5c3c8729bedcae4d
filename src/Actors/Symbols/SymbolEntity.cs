using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// The persistent entity of one symbol (entity id = symbol, persistence id = <c>symbol-&lt;SYMBOL&gt;</c>): it owns the
/// symbol's <see cref="SymbolState"/> and is the only writer of its journal.
/// <para>
/// Acknowledged after commit, batched: each command is decided (<see cref="SymbolLogic"/>) and its events applied
/// at once, so the next command sees them, and its reply is held. One journal write is in flight at a time; the
/// commands decided meanwhile become the next row (<see cref="SymbolEvents"/>), written when the previous one is
/// confirmed, so the rows grow with the load instead of the round trips. Replies, market data and snapshots leave
/// only in the write's handler. One write at a time also keeps every row committed in sequence order, which
/// per-persistence-id readers (settlement) rely on.
/// </para>
/// <para>
/// On a failed or rejected write the held replies (of the row in flight and of the decided-but-unwritten commands)
/// are answered <see cref="RejectReason.Unavailable"/>, so their senders retry, and the entity stops: its state is
/// ahead of the journal, and the next message starts it again from the journal.
/// </para>
/// </summary>
public sealed class SymbolEntity : UntypedPersistentActor
{
    private readonly InstrumentSpec _spec;
    private readonly SymbolSettings _settings;
    private readonly IActorRef _marketData;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly long _recoveryStarted = Stopwatch.GetTimestamp();
    private SymbolState _state;
    private PendingWrite _pending = new();
    private PendingWrite? _inFlight;
    private long _lastSnapshot;
    private long _lastPublished;
    private long _replayed;
    private bool _stopping;

    /// <param name="marketData">Where committed market data goes as DistributedPubSub <see cref="Publish"/> messages (the mediator).</param>
    public SymbolEntity(InstrumentSpec spec, SymbolSettings settings, IActorRef marketData, TimeProvider clock)
    {
        _spec = spec;
        _settings = settings;
        _marketData = marketData;
        _clock = clock;
        _state = new SymbolState(spec, settings.RetainedDoneOrders);
        PersistenceId = PersistenceIdOf(spec.Symbol);
    }

    public static Props Props(InstrumentSpec spec, SymbolSettings settings, IActorRef marketData, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new SymbolEntity(spec, settings, marketData, clock));

    private const string PersistenceIdPrefix = "symbol-";

    public static string PersistenceIdOf(string symbol) => PersistenceIdPrefix + symbol;

    /// <summary>The symbol of a persistence id made by <see cref="PersistenceIdOf"/>.</summary>
    public static string SymbolOf(string persistenceId) => persistenceId.StartsWith(PersistenceIdPrefix, StringComparison.Ordinal)
        ? persistenceId[PersistenceIdPrefix.Length..]
        : throw new ArgumentException($"{persistenceId} is not a symbol's persistence id", nameof(persistenceId));

    public override string PersistenceId { get; }

    private string Symbol => _spec.Symbol;

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: SymbolSnapshot snapshot }:
                _state = SymbolState.Restore(_spec, snapshot, _settings.RetainedDoneOrders);
                _lastSnapshot = _state.Sequence;
                break;
            case SymbolEvents row:
                // A gap or an overlap is a corrupt journal: recovery fails loudly rather than serve a wrong book.
                if (row.FirstSequence != _state.Sequence + 1)
                    throw new InvalidEventException($"{Symbol}: journal row starts at {row.FirstSequence}, state is at {_state.Sequence}");
                foreach (var e in row.Events) _state.Apply(e);
                _replayed += row.Events.Count;
                break;
            case RecoveryCompleted:
                _lastPublished = _state.Sequence;
                Context.System.EventStream.Publish(new SymbolServing(Symbol, true));
                if (_state.Sequence > 0)
                    _log.Info("{0} recovered to sequence {1}: snapshot at {2}, {3} events replayed in {4} ms", Symbol, _state.Sequence, _lastSnapshot,
                        _replayed, (long)Stopwatch.GetElapsedTime(_recoveryStarted).TotalMilliseconds);
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case PlaceOrder or CancelClientOrder or AmendClientOrder:
                Decide((IWithSymbol)message);
                break;
            case GetOrder q:
                Answer(_state.Registry.Find(new ClientOrderKey(q.Account, q.ClientOrderId))?.ToReport()
                    ?? (object)new CommandRejected(Symbol, q.Account, q.ClientOrderId, RejectReason.UnknownOrder));
                break;
            case GetBook q:
                Answer(_state.View(q.Depth));
                break;
            case GetTrades q:
                Answer(new RecentTrades(Symbol, _state.RecentTrades(q.Limit)));
                break;
            case GetSymbolState:
                Answer(new SymbolStateReport(Symbol, _state.Sequence, _state.StateHash()));
                break;
            case RequestMarketDataSnapshot r:
                RequestSnapshot(r.RequestId);
                break;
            case StopSymbol:
                _stopping = true;
                break;
            case SaveSnapshotSuccess s:
                DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure f:
                // A snapshot only shortens recovery; the journal holds everything.
                _log.Warning("{0}: snapshot at row {1} not saved: {2}", Symbol, f.Metadata.SequenceNr, f.Cause.Message);
                break;
            case DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                break;
            default:
                Unhandled(message);
                break;
        }
        Flush();
        StopWhenDone();
    }

    private void Decide(IWithSymbol command)
    {
        var events = _pending.Events;
        var first = events.Count;
        SymbolDecision decision;
        try
        {
            decision = SymbolLogic.Decide(_state, command, Now(), events);
        }
        catch (Exception e) when (e is not InvalidEventException)
        {
            // Deciding reads the state and changes nothing: a command it cannot decide is refused alone.
            events.RemoveRange(first, events.Count - first);
            _log.Error(e, "{0}: could not decide {1}", Symbol, command.GetType().Name);
            var (account, clientOrderId) = command switch
            {
                PlaceOrder p => (p.Account, p.ClientOrderId),
                CancelClientOrder c => (c.Account, c.ClientOrderId),
                AmendClientOrder a => (a.Account, a.ClientOrderId),
                _ => ("", ""),
            };
            Answer(new CommandRejected(Symbol, account, clientOrderId, RejectReason.Unprocessable));
            return;
        }
        for (var i = first; i < events.Count; i++) _state.Apply(events[i]);
        Answer(decision.Kind == SymbolDecisionKind.Rejected
            ? new CommandRejected(Symbol, decision.Key.Account, decision.Key.ClientOrderId, decision.Reason)
            : _state.Registry.Find(decision.Key)!.ToReport());
    }

    /// <summary>Replies now when the state it reflects is committed, else with the write that commits it.</summary>
    private void Answer(object reply)
    {
        if (_pending.Events.Count > 0) _pending.Replies.Add((Sender, reply));
        else if (_inFlight is not null) _inFlight.Replies.Add((Sender, reply));
        else Sender.Tell(reply, Self);
    }

    /// <summary>Publishes the committed book on the topic, after the updates of the write that commits it.</summary>
    private void RequestSnapshot(string requestId)
    {
        var write = _pending.Events.Count > 0 ? _pending : _inFlight;
        if (write is null) Publish(new MarketDataSnapshot(Symbol, requestId, _state.View(_settings.BookUpdateDepth)));
        else (write.SnapshotRequests ??= new List<string>()).Add(requestId);
    }

    /// <summary>Sends what was decided as one row, unless a write is in flight (then it is sent when that one is confirmed).</summary>
    private void Flush()
    {
        if (_inFlight is not null || _pending.Events.Count == 0) return;
        var write = _pending;
        _pending = new PendingWrite();
        write.FirstSequence = _state.Sequence - write.Events.Count + 1;
        write.View = _state.View(_settings.BookUpdateDepth);
        if (_state.Sequence - _lastSnapshot >= _settings.SnapshotInterval)
        {
            // Taken now, while the state is exactly this row's end; saved once the row is committed.
            write.Snapshot = _state.Snapshot();
            _lastSnapshot = _state.Sequence;
        }
        _inFlight = write;
        write.SentAt = Stopwatch.GetTimestamp();
        PersistAsync(new SymbolEvents(write.FirstSequence, write.Events), _ => Committed(write));
    }

    private void Committed(PendingWrite write)
    {
        _inFlight = null;
        JournalMetrics.WriteSeconds.Record(Stopwatch.GetElapsedTime(write.SentAt).TotalSeconds);
        JournalMetrics.CommandsPerWrite.Record(write.Replies.Count);
        foreach (var (to, reply) in write.Replies) to.Tell(reply, Self);
        PublishCommitted(write);
        // The snapshot's row number is the last confirmed one, which is this row: nothing later was sent yet.
        if (write.Snapshot is { } snapshot) SaveSnapshot(snapshot);
        Flush();
        StopWhenDone();
    }

    private void PublishCommitted(PendingWrite write)
    {
        for (var i = 0; i < write.Events.Count; i++)
        {
            if (write.Events[i] is not TradeExecuted t) continue;
            var sequence = write.FirstSequence + i;
            Publish(new TradeUpdate(Symbol, sequence, _lastPublished, t.TradeId, t.Price, t.Quantity, t.AggressorSide, t.Timestamp));
            _lastPublished = sequence;
        }
        var view = write.View!;
        Publish(new BookUpdate(Symbol, view.Sequence, _lastPublished, view.Bids, view.Asks));
        _lastPublished = view.Sequence;
        if (write.SnapshotRequests is { } requests)
            foreach (var id in requests) Publish(new MarketDataSnapshot(Symbol, id, view));
    }

    private void Publish(object update) => _marketData.Tell(new Publish(MarketDataTopic.Of(Symbol), update));

    private void StopWhenDone()
    {
        if (_stopping && _inFlight is null && _pending.Events.Count == 0) Context.Stop(Self);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Publish(new SymbolServing(Symbol, false));
        base.PostStop();
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        FailHeldReplies();
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        FailHeldReplies();
        _log.Error(cause, "{0}: journal rejected row {1}; restarting from the journal", Symbol, sequenceNr);
        Context.Stop(Self);
    }

    protected override void PreRestart(Exception reason, object message)
    {
        FailHeldReplies();
        base.PreRestart(reason, message);
    }

    /// <summary>Answers every held reply "unavailable, retry": nothing of it may be assumed committed or lost.</summary>
    private void FailHeldReplies()
    {
        foreach (var write in new[] { _inFlight, _pending })
        {
            if (write is null) continue;
            foreach (var (to, _) in write.Replies) to.Tell(new CommandRejected(Symbol, "", "", RejectReason.Unavailable), Self);
            write.Replies.Clear();
        }
    }

    private long Now() => (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
}
