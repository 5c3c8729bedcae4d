namespace AkkaExchange.LoadTest;

/// <summary>
/// A random walk of each symbol's reference price (in ticks), so that buy and sell orders placed around it cross
/// and trade. Thread-safe: customers read it, one timer moves it.
/// </summary>
public sealed class PriceWalk
{
    private readonly long[] _mids;
    private readonly Random _rng;
    private readonly object _gate = new();

    public PriceWalk(int symbols, int seed)
    {
        _rng = new Random(seed);
        _mids = Enumerable.Range(0, symbols).Select(_ => (long)_rng.Next(2_000, 50_000)).ToArray();
    }

    public long Mid(int symbol) => Volatile.Read(ref _mids[symbol]);

    /// <summary>Moves every price by -1, 0 or +1 tick (never below 100 ticks).</summary>
    public void Step()
    {
        lock (_gate)
            for (var i = 0; i < _mids.Length; i++)
                Volatile.Write(ref _mids[i], Math.Max(100, _mids[i] + _rng.Next(-1, 2)));
    }
}
