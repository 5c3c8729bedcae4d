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

    /// <remarks>Allocation-free for symbols of up to 85 characters: it runs for every routed request and pushed update.</remarks>
    public int ShardOf(string symbol)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(symbol.Length);
        Span<byte> bytes = max <= 256 ? stackalloc byte[max] : new byte[max];
        bytes = bytes[..System.Text.Encoding.UTF8.GetBytes(symbol, bytes)];
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)Shards);
    }
}
