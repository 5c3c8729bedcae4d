namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// Sharding's hand-off stop message for symbol entities: the entity finishes what it decided (writes the pending
/// events, answers every held reply, publishes) and stops. Sent by its own shard, never over the wire.
/// </summary>
public sealed record StopSymbol
{
    public static StopSymbol Instance { get; } = new();
}
