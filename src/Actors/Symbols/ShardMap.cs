namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// Which shard a symbol belongs to: FNV-1a of its UTF-8 bytes modulo the shard count. Stable across processes,
/// machines and .NET versions (unlike <see cref="string.GetHashCode()"/>), so every node agrees.
/// </summary>
public sealed class ShardMap
{
    public ShardMap(int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        Shards = shards;
    }

    public int Shards { get; }

    public int ShardOf(string symbol)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(symbol))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)Shards);
    }
}
