using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Bench;

/// <summary>
/// Generates the realistic single-book mix once, against a shadow book, so that a benchmark can replay it with
/// no generator in the timed loop: about 1,000 resting orders kept near the spread; mostly GTC limit orders
/// around the touch (some crossing), some IOC and market orders, about a quarter cancels, a few amends.
/// Replaying a stream on a fresh book reproduces the same ids, so cancels and amends name live orders.
/// </summary>
internal sealed class MatchingWorkload
{
    public const int TargetResting = 1_000;

    private readonly OrderBook _shadow;
    private readonly Random _rng;
    private readonly string[] _accounts = Enumerable.Range(0, 100).Select(i => $"BD{i / 10:000}-C{i:000}").ToArray();
    private readonly string[] _clientIds = Enumerable.Range(0, 4096).Select(i => $"c{i}").ToArray();
    private readonly List<(long Id, string Owner)> _resting = new();
    private readonly List<IBookEvent> _events = new();
    private long _mid = 10_000;
    private long _n;

    private MatchingWorkload(InstrumentSpec spec, int seed)
    {
        _shadow = new OrderBook(spec);
        _rng = new Random(seed);
    }

    public long Cancels { get; private set; }
    public long Amends { get; private set; }
    public long Places { get; private set; }

    /// <summary>The stream: <paramref name="prefill"/> builds the book up to its target, <paramref name="main"/> is measured.</summary>
    public static MatchingWorkload Generate(InstrumentSpec spec, int seed, int operations,
        out IBookCommand[] prefill, out IBookCommand[] main)
    {
        var w = new MatchingWorkload(spec, seed);
        prefill = new IBookCommand[TargetResting];
        for (var i = 0; i < prefill.Length; i++) prefill[i] = w.Step(w.Resting());
        w.Places = 0;
        main = new IBookCommand[operations];
        for (var i = 0; i < main.Length; i++) main[i] = w.Step(w.Next());
        return w;
    }

    private IBookCommand Step(IBookCommand command)
    {
        _events.Clear();
        OrderBookLogic.Decide(_shadow, command, _n, _events);
        OrderBookLogic.Apply(_shadow, _events);
        if (_events[0] is OrderAccepted { TimeInForce: TimeInForce.Gtc, Type: OrderType.Limit } a && _shadow.Contains(a.OrderId))
            _resting.Add((a.OrderId, a.Account));
        return command;
    }

    private IBookCommand Resting()
    {
        _n++;
        var side = (_n & 1) == 0 ? Side.Buy : Side.Sell;
        var offset = _rng.Next(1, 15);
        return new PlaceOrder(_shadow.Symbol, _accounts[_rng.Next(_accounts.Length)], _clientIds[_n & 4095], side,
            OrderType.Limit, side == Side.Buy ? _mid - offset : _mid + offset, _rng.Next(1, 100), TimeInForce.Gtc, false);
    }

    private IBookCommand Next()
    {
        _n++;
        if ((_n & 255) == 0) _mid = Math.Clamp(_mid + _rng.Next(-1, 2), 9_000, 11_000);
        var roll = _rng.Next(100);
        // The cancel share follows the book size so the book hovers near its target, about a quarter overall.
        var cancelShare = _shadow.OrderCount > TargetResting ? 30 : 20;
        if (roll < cancelShare && TryTakeResting(remove: true, out var id, out var owner))
        {
            Cancels++;
            return new CancelOrder(_shadow.Symbol, owner, id);
        }
        if (roll >= 97 && TryTakeResting(remove: false, out id, out owner))
        {
            Amends++;
            var order = _shadow.GetOrder(id)!;
            return _rng.Next(2) == 0
                ? new AmendOrder(_shadow.Symbol, owner, id, null, Math.Max(order.Filled + 1, order.Quantity - 1))
                : new AmendOrder(_shadow.Symbol, owner, id, order.Price + (order.Side == Side.Buy ? -1 : 1), null);
        }
        Places++;
        var account = _accounts[_rng.Next(_accounts.Length)];
        var clientId = _clientIds[_n & 4095];
        var side = _rng.Next(2) == 0 ? Side.Buy : Side.Sell;
        var quantity = _rng.Next(1, 100);
        var typeRoll = _rng.Next(100);
        if (typeRoll < 4)
            return new PlaceOrder(_shadow.Symbol, account, clientId, side, OrderType.Market, 0, quantity, TimeInForce.Ioc, false);
        // Around the touch: mostly a few ticks behind it, sometimes through it.
        var offset = _rng.Next(-4, 9);
        var price = side == Side.Buy ? _mid - offset : _mid + offset;
        var tif = typeRoll < 14 ? TimeInForce.Ioc : TimeInForce.Gtc;
        return new PlaceOrder(_shadow.Symbol, account, clientId, side, OrderType.Limit, price, quantity, tif, false);
    }

    /// <summary>Picks a random working order, dropping the done ones it meets on the way.</summary>
    private bool TryTakeResting(bool remove, out long id, out string owner)
    {
        while (_resting.Count > 0)
        {
            var slot = _rng.Next(_resting.Count);
            (id, owner) = _resting[slot];
            var alive = _shadow.Contains(id);
            if (!alive || remove)
            {
                _resting[slot] = _resting[^1];
                _resting.RemoveAt(_resting.Count - 1);
            }
            if (alive) return true;
        }
        id = 0;
        owner = "";
        return false;
    }
}
