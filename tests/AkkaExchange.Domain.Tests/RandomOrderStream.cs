using AkkaExchange.Messages;

namespace AkkaExchange.Domain.Tests;

/// <summary>
/// A seeded stream of book commands: limit orders around a drifting mid price (some post-only, IOC, FOK),
/// market orders, cancels and amends of recently accepted orders (sometimes by the wrong account), and a
/// share of invalid input. Few accounts, so self-trade prevention is exercised often.
/// </summary>
internal sealed class RandomOrderStream(int seed, string symbol)
{
    private static readonly string[] Accounts = ["A", "B", "C", "D", "E"];
    private readonly Random _rng = new(seed);
    private readonly List<(long Id, string Account)> _known = new();
    private readonly Dictionary<long, int> _knownIndex = new();
    private readonly Dictionary<long, long> _leaves = new();
    private long _mid = 1_000;
    private int _n;

    /// <summary>Number of orders the stream believes are working.</summary>
    public int Working => _known.Count;

    /// <summary>
    /// Tell the stream what happened so cancels and amends can name working orders (and, now and then,
    /// orders that are already done).
    /// </summary>
    public void Observe(IEnumerable<IBookEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case OrderAccepted a:
                    _knownIndex[a.OrderId] = _known.Count;
                    _known.Add((a.OrderId, a.Account));
                    _leaves[a.OrderId] = a.Quantity;
                    break;
                case TradeExecuted t:
                    Reduce(t.MakerOrderId, t.Quantity);
                    Reduce(t.TakerOrderId, t.Quantity);
                    break;
                case OrderCancelled c:
                    Forget(c.OrderId);
                    break;
                case OrderAmended m:
                    _leaves[m.OrderId] = long.MaxValue / 2;
                    break;
            }
        }
    }

    private void Reduce(long id, long quantity)
    {
        if (!_leaves.TryGetValue(id, out var leaves)) return;
        if (leaves - quantity > 0) _leaves[id] = leaves - quantity;
        // Keep about one in eight done orders nameable, to exercise cancels of done orders.
        else if (_rng.Next(8) != 0) Forget(id);
    }

    private void Forget(long id)
    {
        _leaves.Remove(id);
        if (!_knownIndex.Remove(id, out var index)) return;
        var last = _known[^1];
        _known[index] = last;
        _known.RemoveAt(_known.Count - 1);
        if (last.Id != id) _knownIndex[last.Id] = index;
    }

    public IBookCommand Next()
    {
        if (++_n % 50 == 0) _mid = Math.Max(20, _mid + _rng.Next(-2, 3));
        var account = Accounts[_rng.Next(Accounts.Length)];
        var side = _rng.Next(2) == 0 ? Side.Buy : Side.Sell;
        var roll = _rng.Next(100);
        // Cancels grow with the working orders, which keeps the book near a steady size.
        if (roll < 15 + Math.Min(30, _known.Count / 10) && _known.Count > 0)
        {
            var (id, owner) = _known[_rng.Next(_known.Count)];
            return new CancelOrder(symbol, _rng.Next(10) == 0 ? account : owner, id);
        }
        if (roll >= 45 && roll < 53 && _known.Count > 0)
        {
            var (id, owner) = _known[_rng.Next(_known.Count)];
            long? price = _rng.Next(2) == 0 ? _mid + _rng.Next(-6, 7) : null;
            long? quantity = price is null || _rng.Next(3) == 0 ? _rng.Next(1, 60) : null;
            return new AmendOrder(symbol, _rng.Next(10) == 0 ? account : owner, id, price, quantity);
        }
        var quantityRoll = _rng.Next(100);
        long qty = quantityRoll switch { 0 => 0, 1 => -3, 2 => 2_000_000, _ => _rng.Next(1, 50) };
        var offset = _rng.Next(1, 8);
        // Limit prices mostly rest on their own side of the mid, sometimes cross it.
        var price0 = side == Side.Buy ? _mid - offset + (_rng.Next(4) == 0 ? 5 : 0) : _mid + offset - (_rng.Next(4) == 0 ? 5 : 0);
        if (_rng.Next(200) == 0) price0 = _rng.Next(2) == 0 ? 0 : -price0;
        var type = roll >= 53 && roll < 58 ? OrderType.Market : OrderType.Limit;
        var tifRoll = _rng.Next(100);
        var tif = type == OrderType.Market
            ? (tifRoll < 70 ? TimeInForce.Ioc : tifRoll < 95 ? TimeInForce.Fok : TimeInForce.Gtc)
            : (tifRoll < 80 ? TimeInForce.Gtc : tifRoll < 92 ? TimeInForce.Ioc : TimeInForce.Fok);
        var postOnly = _rng.Next(100) < (type == OrderType.Market ? 2 : 8);
        return new PlaceOrder(symbol, account, $"o{_n}", side, type, type == OrderType.Market ? 0 : price0, qty, tif, postOnly);
    }
}
