using System.Buffers;
using System.Diagnostics;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;
using Microsoft.Extensions.Logging;

namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// The persistent actor of one symbol: it owns the symbol's <see cref="SymbolState"/> and is the only writer of
/// its journal stream (persistence id = the symbol).
/// <para>
/// Batching: each command is decided and its events applied at once, so the next command in the mailbox sees
/// them; the events are journaled together when the mailbox runs dry (or the batch is full), through the node's
/// group commit. No reply and no market data leaves the actor before the commit that covers it: every reply
/// is held until then. If the commit fails, the actor throws, its supervisor discards this instance (its
/// uncommitted state with it), fails the held replies and recovers a fresh instance from the journal.
/// </para>
/// </summary>
public sealed class SymbolActor : Actor
{
    private readonly InstrumentSpec _spec;
    private readonly GroupCommitWriter _writer;
    private readonly SymbolActorSettings _settings;
    private readonly IMarketDataSink _marketData;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private List<IBookEvent> _pendingEvents = new();
    private List<JournalEntry> _pendingEntries = new();
    private readonly List<(Envelope Envelope, object? Reply)> _heldReplies = new();
    private readonly FenceToken? _fence;
    private readonly Action<FenceToken>? _leaseLost;
    private SymbolState _state;
    private long _lastSnapshot;
    private long _lastPublished;
    private bool _fenced;

    /// <param name="fence">In cluster mode: the lease this actor writes under; every commit proves it still holds.</param>
    /// <param name="leaseLost">Called once when a commit finds the lease gone; the actor serves nothing after that.</param>
    public SymbolActor(InstrumentSpec spec, GroupCommitWriter writer, SymbolActorSettings settings, IMarketDataSink marketData,
        TimeProvider clock, ILogger log, FenceToken? fence = null, Action<FenceToken>? leaseLost = null)
    {
        _fence = fence;
        _leaseLost = leaseLost;
        _spec = spec;
        _writer = writer;
        _settings = settings;
        _marketData = marketData;
        _clock = clock;
        _log = log;
        _state = new SymbolState(spec, settings.RetainedDoneOrders);
    }

    public string Symbol => _spec.Symbol;

    protected internal override async Task StartAsync(CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        var journal = _writer.Journal;
        var snapshot = await journal.LoadSnapshotAsync(Symbol, cancellation).ConfigureAwait(false);
        var state = snapshot is null
            ? new SymbolState(_spec, _settings.RetainedDoneOrders)
            : SymbolState.Restore(_spec, SymbolSnapshotCodec.Decode(snapshot.Version, snapshot.Payload), _settings.RetainedDoneOrders);
        if (snapshot is not null && state.Sequence != snapshot.SequenceNr)
            throw new InvalidEventException($"{Symbol}: snapshot at {snapshot.SequenceNr} holds state at {state.Sequence}");
        long replayed = 0;
        await foreach (var entry in journal.ReadAsync(Symbol, state.Sequence + 1, cancellation).ConfigureAwait(false))
        {
            if (entry.SequenceNr != state.Sequence + 1)
                throw new InvalidEventException($"{Symbol}: journal jumps from {state.Sequence} to {entry.SequenceNr}");
            state.Apply(BookEventCodec.Decode(entry.EventType, entry.EventVersion, entry.Payload));
            replayed++;
        }
        _state = state;
        _lastSnapshot = snapshot?.SequenceNr ?? 0;
        _lastPublished = state.Sequence;
        var elapsed = Stopwatch.GetElapsedTime(started);
        RecoveryStats.Record(replayed, snapshot is not null);
        if (replayed > 0 || snapshot is not null)
            _log.LogInformation("{Symbol} recovered to sequence {Sequence}: snapshot at {Snapshot}, {Replayed} events replayed in {Ms} ms",
                Symbol, state.Sequence, _lastSnapshot, replayed, (long)elapsed.TotalMilliseconds);
    }

    protected internal override async ValueTask ReceiveAsync(Envelope envelope)
    {
        if (_fenced)
        {
            envelope.Fail(new ActorUnavailableException($"{Symbol} moved to another node; retry"));
            return;
        }
        switch (envelope.Message)
        {
            case IWithSymbol m when m.Symbol != Symbol:
                envelope.Fail(new ArgumentException($"{m.GetType().Name} for {m.Symbol} sent to {Symbol}"));
                return;
            case PlaceOrder or CancelClientOrder or AmendClientOrder:
                Decide((IWithSymbol)envelope.Message, envelope);
                if (_pendingEvents.Count >= _settings.MaxBatchEvents) await FlushAsync().ConfigureAwait(false);
                return;
            case GetOrder q:
                Answer(envelope, _state.Registry.Find(new ClientOrderKey(q.Account, q.ClientOrderId))?.ToReport());
                return;
            case GetBook q:
                Answer(envelope, _state.View(q.Depth));
                return;
            case GetTrades q:
                Answer(envelope, _state.RecentTrades(q.Limit));
                return;
            default:
                envelope.Fail(new ArgumentException($"{Symbol} does not handle {envelope.Message.GetType().Name}"));
                return;
        }
    }

    protected internal override ValueTask IdleAsync() => FlushAsync();

    protected internal override void Crashed(Exception reason)
    {
        var error = new ActorUnavailableException($"{Symbol} restarted ({reason.Message}); the request may be retried", reason);
        foreach (var (envelope, _) in _heldReplies) envelope.Fail(error);
        _heldReplies.Clear();
    }

    private void Decide(IWithSymbol command, Envelope envelope)
    {
        var first = _pendingEvents.Count;
        var decision = SymbolLogic.Decide(_state, command, Now(), _pendingEvents);
        for (var i = first; i < _pendingEvents.Count; i++)
        {
            var e = _pendingEvents[i];
            _state.Apply(e);
            _buffer.ResetWrittenCount();
            BookEventCodec.Encode(e, _buffer);
            _pendingEntries.Add(new JournalEntry(Symbol, _state.Sequence, BookEventCodec.TagOf(e), BookEventCodec.CurrentVersion,
                _buffer.WrittenSpan.ToArray(), e.Timestamp, _settings.WriterId));
        }
        object reply = decision.Kind == SymbolDecisionKind.Rejected
            ? new CommandRejected(Symbol, decision.Key.Account, decision.Key.ClientOrderId, decision.Reason)
            : _state.Registry.Find(decision.Key)!.ToReport();
        Answer(envelope, reply);
    }

    /// <summary>Replies now when nothing is uncommitted, else when the pending batch commits.</summary>
    private void Answer(Envelope envelope, object? reply)
    {
        if (_pendingEntries.Count == 0) envelope.Reply(reply);
        else _heldReplies.Add((envelope, reply));
    }

    private async ValueTask FlushAsync()
    {
        if (_pendingEntries.Count == 0) return;
        var entries = _pendingEntries;
        var events = _pendingEvents;
        _pendingEntries = new List<JournalEntry>(entries.Count);
        _pendingEvents = new List<IBookEvent>(events.Count);
        try
        {
            await _writer.WriteAsync(entries, _fence).ConfigureAwait(false);
        }
        catch (LeaseLostException e)
        {
            // Another node owns the shard now: nothing of this batch was written, and this instance's state is
            // ahead of the journal. It answers nothing more; the node stops it.
            _fenced = true;
            Crashed(e);
            _log.LogWarning("{Symbol}: {Error}; stopped serving", Symbol, e.Message);
            _leaseLost?.Invoke(_fence!.Value);
            return;
        }
        foreach (var (envelope, reply) in _heldReplies) envelope.Reply(reply);
        _heldReplies.Clear();
        Publish(events, entries[0].SequenceNr);
        MaybeSnapshot();
    }

    private void Publish(List<IBookEvent> events, long firstSequence)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is not TradeExecuted t) continue;
            var sequence = firstSequence + i;
            _marketData.Publish(new TradeUpdate(Symbol, sequence, _lastPublished, t.TradeId, t.Price, t.Quantity, t.AggressorSide, t.Timestamp));
            _lastPublished = sequence;
        }
        var view = _state.View(_settings.BookUpdateDepth);
        _marketData.Publish(new BookUpdate(Symbol, _state.Sequence, _lastPublished, view.Bids, view.Asks));
        _lastPublished = _state.Sequence;
    }

    private void MaybeSnapshot()
    {
        if (_state.Sequence - _lastSnapshot < _settings.SnapshotInterval) return;
        var sequence = _state.Sequence;
        var payload = SymbolSnapshotCodec.Encode(_state.Snapshot());
        _lastSnapshot = sequence;
        var journal = _writer.Journal;
        // Off the actor: a snapshot is an optimisation of recovery, never a condition of progress.
        _ = Task.Run(async () =>
        {
            try
            {
                await journal.SaveSnapshotAsync(new SnapshotEntry(Symbol, sequence, SymbolSnapshotCodec.CurrentVersion, payload, Now())).ConfigureAwait(false);
                await journal.DeleteSnapshotsBeforeAsync(Symbol, sequence).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _log.LogWarning("{Symbol}: snapshot at {Sequence} not saved: {Error}", Symbol, sequence, e.Message);
            }
        });
    }

    private long Now() => (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
}
