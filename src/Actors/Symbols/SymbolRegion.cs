namespace AkkaExchange.Actors.Symbols;

/// <summary>The key of the symbols' shard region in the actor registry (<c>IRequiredActor&lt;SymbolRegion&gt;</c>).</summary>
public sealed class SymbolRegion
{
    /// <summary>The sharded entity type name (part of shard lease names and persistence ids of sharding's own state).</summary>
    public const string TypeName = "symbol";

    private SymbolRegion() { }
}
