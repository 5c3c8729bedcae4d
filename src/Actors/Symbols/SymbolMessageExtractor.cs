using Akka.Cluster.Sharding;
using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// Routes every <see cref="IWithSymbol"/> message to the entity of its symbol (entity id = symbol) in the shard
/// <see cref="ShardMap"/> computes, the same on every node. Messages for symbols that are not listed have no entity.
/// (Sharding's own messages, such as the <see cref="ShardRegion.StartEntity"/> that <see cref="SymbolKeeper"/> sends,
/// are routed by sharding itself through <see cref="ShardId(string, object?)"/>.)
/// </summary>
public sealed class SymbolMessageExtractor(ShardMap shards, IReadOnlySet<string> symbols) : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        IWithSymbol m when symbols.Contains(m.Symbol) => m.Symbol,
        _ => null,
    };

    public object EntityMessage(object message) => message;

    public string ShardId(object message) => EntityId(message) is { } id ? ShardId(id, message) : throw new ArgumentException($"no entity for {message.GetType().Name}");

    public string ShardId(string entityId, object? messageHint = null) => shards.ShardOf(entityId).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
