using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>
/// FNV-1a (64 bit) over a sequence of values: stable across processes, machines and .NET versions (unlike
/// <see cref="HashCode"/>, which is seeded per process), so hashes taken on different nodes compare.
/// </summary>
public struct StateHasher
{
    private const ulong Offset = 14695981039346656037, Prime = 1099511628211;
    private ulong _hash;

    public StateHasher() => _hash = Offset;

    public readonly ulong Value => _hash;

    public void Add(long value)
    {
        for (var i = 0; i < 8; i++)
        {
            _hash ^= (byte)(value >> (i * 8));
            _hash *= Prime;
        }
    }

    public void Add(string value)
    {
        Add(value.Length);
        foreach (var c in value) Add(c);
    }

    public void Add(TradeExecuted? t)
    {
        if (t is null)
        {
            Add(0);
            return;
        }
        Add(t.TradeId); Add(t.Price); Add(t.Quantity); Add((long)t.AggressorSide); Add(t.MakerOrderId); Add(t.MakerAccount);
        Add(t.TakerOrderId); Add(t.TakerAccount); Add(t.Timestamp);
    }
}
