using Akka.Actor;
using Akka.Persistence;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// Reads the start of one persistence id's journal (snapshot and events) and stops, writing nothing. A node runs it
/// before it joins the cluster: the first recovery in a process pays for compiling the plugin's queries, opening
/// connections and JIT (4-6 s measured on a busy 2-core machine, against 50 ms once warm), and a node that joined
/// cold made the shards Akka rebalanced onto it wait that long.
/// </summary>
public sealed class JournalWarmUp : ReceivePersistentActor
{
    private readonly TaskCompletionSource<long> _done;
    private long _events;

    public JournalWarmUp(string persistenceId, TaskCompletionSource<long> done)
    {
        PersistenceId = persistenceId;
        _done = done;
        Recover<SnapshotOffer>(_ => { });
        Recover<RecoveryCompleted>(_ =>
        {
            _done.TrySetResult(_events);
            Context.Stop(Self);
        });
        RecoverAny(_ => _events++);
    }

    public override string PersistenceId { get; }

    // The first events (and a snapshot among them) are enough to compile every query the recovery uses; a symbol's
    // whole history could be millions of rows.
    public override Recovery Recovery { get; } = new(SnapshotSelectionCriteria.Latest, toSequenceNr: 1_000);

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _done.TrySetException(reason);
        base.OnRecoveryFailure(reason, message);
    }

    /// <summary>The read: <paramref name="done"/> completes with the number of events read, or faults with the recovery's failure.</summary>
    public static Props Props(string persistenceId, TaskCompletionSource<long> done) =>
        Akka.Actor.Props.Create(() => new JournalWarmUp(persistenceId, done));
}
