using Akka;
using Akka.Actor;
using Akka.Persistence;
using AkkaExchange.Actors.Symbols;

namespace AkkaExchange.TestSupport;

/// <summary>
/// Writes symbol rows into the journal exactly as a symbol's entity does (its persistence id, its row type), without
/// a book: settlement specs and benchmarks use it to put known trades in the journal. Answers each row with
/// <see cref="Done"/> once it is committed.
/// </summary>
public sealed class SymbolRowWriter(string symbol) : UntypedPersistentActor
{
    public override string PersistenceId { get; } = SymbolEntity.PersistenceIdOf(symbol);

    public static Props Props(string symbol) => Akka.Actor.Props.Create(() => new SymbolRowWriter(symbol));

    protected override void OnRecover(object message)
    {
    }

    protected override void OnCommand(object message)
    {
        var sender = Sender;
        if (message is SymbolEvents row) Persist(row, _ => sender.Tell(Done.Instance));
        else Unhandled(message);
    }
}
