using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>
/// One side of a book: price levels in an array sorted so that the best price is last. Activity clusters near
/// the touch, so inserting or removing a level there moves few elements; a lookup is a binary search.
/// </summary>
internal sealed class BookSide
{
    private PriceLevel[] _levels = new PriceLevel[64];
    private readonly Stack<PriceLevel> _free = new();

    public BookSide(Side side) => Side = side;

    public Side Side { get; }
    public int Count { get; private set; }

    /// <summary>The i-th best level (0 = best).</summary>
    public PriceLevel LevelFromBest(int i) => _levels[Count - 1 - i];

    public PriceLevel? Best => Count == 0 ? null : _levels[Count - 1];

    public void Add(BookOrder order)
    {
        var index = Search(order.Price);
        PriceLevel level;
        if (index >= 0)
        {
            level = _levels[index];
        }
        else
        {
            index = ~index;
            level = _free.Count > 0 ? _free.Pop() : new PriceLevel();
            level.Price = order.Price;
            if (Count == _levels.Length) Array.Resize(ref _levels, _levels.Length * 2);
            Array.Copy(_levels, index, _levels, index + 1, Count - index);
            _levels[index] = level;
            Count++;
        }
        level.Append(order);
    }

    public void Remove(BookOrder order, long leaves)
    {
        var level = order.Level!;
        level.Remove(order, leaves);
        if (level.Count > 0) return;
        var index = Count - 1;
        // The emptied level is nearly always the best one.
        if (_levels[index] != level) index = Search(level.Price);
        Array.Copy(_levels, index + 1, _levels, index, Count - index - 1);
        Count--;
        _levels[Count] = null!;
        level.Head = null;
        level.Tail = null;
        level.TotalQuantity = 0;
        _free.Push(level);
    }

    /// <summary>Binary search in ascending "goodness": bids ascend by price, asks descend.</summary>
    private int Search(long price)
    {
        int lo = 0, hi = Count - 1;
        var bid = Side == Side.Buy;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var p = _levels[mid].Price;
            if (p == price) return mid;
            if (bid ? p < price : p > price) lo = mid + 1; else hi = mid - 1;
        }
        return ~lo;
    }
}
