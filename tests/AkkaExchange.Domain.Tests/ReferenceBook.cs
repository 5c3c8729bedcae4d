using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Domain.Tests;

/// <summary>
/// A deliberately simple order book: one flat list, linear scans for the best order, state changed as it goes.
/// Written from the rules, not from the engine, so that the two can be compared event for event.
/// </summary>
internal sealed class ReferenceBook(InstrumentSpec spec)
{
    private sealed class Order
    {
        public long Id, Price, Quantity, Filled, Seq, Ts;
        public string Account = "", ClientOrderId = "";
        public Side Side;
        public bool PostOnly;
        public long Leaves => Quantity - Filled;
    }

    private readonly List<Order> _resting = new();
    private long _lastOrderId, _lastTradeId, _prio, _events;
    private TradeExecuted? _lastTrade;

    public List<IBookEvent> Process(IBookCommand command, long ts)
    {
        var output = new List<IBookEvent>();
        switch (command)
        {
            case PlaceOrder p: Place(p, ts, output); break;
            case CancelOrder c: Cancel(c, ts, output); break;
            case AmendOrder a: Amend(a, ts, output); break;
        }
        _events += output.Count;
        return output;
    }

    public OrderBookSnapshot Snapshot()
    {
        RestingOrderState Copy(Order o) => new(o.Id, o.Account, o.ClientOrderId, o.Side, o.Price, o.Quantity, o.Filled, o.PostOnly, o.Ts, o.Seq);
        var bids = _resting.Where(o => o.Side == Side.Buy).OrderByDescending(o => o.Price).ThenBy(o => o.Seq).Select(Copy).ToList();
        var asks = _resting.Where(o => o.Side == Side.Sell).OrderBy(o => o.Price).ThenBy(o => o.Seq).Select(Copy).ToList();
        return new OrderBookSnapshot(spec.Symbol, _events, _lastOrderId, _lastTradeId, _prio, _lastTrade, bids, asks);
    }

    private static bool Reaches(Side side, long limit, long price) => side == Side.Buy ? price <= limit : price >= limit;

    private static bool Better(Order a, Order b) =>
        a.Price != b.Price ? (a.Side == Side.Buy ? a.Price > b.Price : a.Price < b.Price) : a.Seq < b.Seq;

    private Order? BestOpposite(Side side)
    {
        Order? best = null;
        foreach (var o in _resting)
            if (o.Side != side && (best is null || Better(o, best)))
                best = o;
        return best;
    }

    private void Place(PlaceOrder p, long ts, List<IBookEvent> output)
    {
        RejectReason? reason = null;
        if (p.Quantity < spec.MinQuantity || p.Quantity > spec.MaxQuantity) reason = RejectReason.InvalidQuantity;
        else if (p.Quantity % spec.LotSize != 0) reason = RejectReason.QuantityNotMultipleOfLot;
        else if (p.Type == OrderType.Market && p.PostOnly) reason = RejectReason.MarketOrderCannotBePostOnly;
        else if (p.Type == OrderType.Market && p.TimeInForce == TimeInForce.Gtc) reason = RejectReason.MarketOrderMustBeImmediate;
        else if (p.Type == OrderType.Limit && (p.Price <= 0 || p.Price > spec.MaxPriceTicks)) reason = RejectReason.InvalidPrice;
        var market = p.Type == OrderType.Market;
        var limit = market ? (p.Side == Side.Buy ? long.MaxValue : long.MinValue) : p.Price;
        if (reason is null && p.PostOnly && BestOpposite(p.Side) is { } b && Reaches(p.Side, limit, b.Price))
            reason = RejectReason.PostOnlyWouldTakeLiquidity;
        if (reason is { } r)
        {
            output.Add(new OrderRejected(spec.Symbol, p.Account, p.ClientOrderId, 0, r, ts));
            return;
        }
        var order = new Order
        {
            Id = ++_lastOrderId, Account = p.Account, ClientOrderId = p.ClientOrderId, Side = p.Side,
            Price = market ? 0 : p.Price, Quantity = p.Quantity, PostOnly = p.PostOnly, Ts = ts,
        };
        if (!market && p.TimeInForce == TimeInForce.Gtc) order.Seq = ++_prio;
        output.Add(new OrderAccepted(spec.Symbol, order.Id, p.Account, p.ClientOrderId, p.Side, p.Type, order.Price,
            p.Quantity, p.TimeInForce, p.PostOnly, ts));
        if (p.TimeInForce == TimeInForce.Fok)
        {
            long fillable = 0;
            var opposite = _resting.Where(o => o.Side != p.Side && Reaches(p.Side, limit, o.Price))
                .OrderBy(o => o.Side == Side.Buy ? -o.Price : o.Price).ThenBy(o => o.Seq);
            foreach (var o in opposite)
            {
                if (o.Account == p.Account) break;
                fillable += o.Leaves;
            }
            if (fillable < p.Quantity)
            {
                output.Add(new OrderCancelled(spec.Symbol, order.Id, p.Quantity, CancelReason.FokUnfillable, ts));
                return;
            }
        }
        var selfTrade = MatchIncoming(order, limit, ts, output);
        if (order.Leaves == 0) return;
        CancelReason? cancel = selfTrade ? CancelReason.SelfTrade
            : market ? CancelReason.MarketRemainder
            : p.TimeInForce != TimeInForce.Gtc ? CancelReason.IocRemainder
            : null;
        if (cancel is { } c) output.Add(new OrderCancelled(spec.Symbol, order.Id, order.Leaves, c, ts));
        else _resting.Add(order);
    }

    /// <summary>Trades the order against the best opposite orders; true when stopped by its own account.</summary>
    private bool MatchIncoming(Order taker, long limit, long ts, List<IBookEvent> output)
    {
        while (taker.Leaves > 0)
        {
            var best = BestOpposite(taker.Side);
            if (best is null || !Reaches(taker.Side, limit, best.Price)) return false;
            if (best.Account == taker.Account) return true;
            var q = Math.Min(taker.Leaves, best.Leaves);
            var trade = new TradeExecuted(spec.Symbol, ++_lastTradeId, best.Price, q, taker.Side, best.Id, best.Account, taker.Id, taker.Account, ts);
            output.Add(trade);
            _lastTrade = trade;
            taker.Filled += q;
            best.Filled += q;
            if (best.Leaves == 0) _resting.Remove(best);
        }
        return false;
    }

    private void Cancel(CancelOrder c, long ts, List<IBookEvent> output)
    {
        var o = _resting.Find(x => x.Id == c.OrderId);
        if (o is null) output.Add(new OrderRejected(spec.Symbol, c.Account, "", c.OrderId, RejectReason.UnknownOrder, ts));
        else if (o.Account != c.Account) output.Add(new OrderRejected(spec.Symbol, c.Account, o.ClientOrderId, c.OrderId, RejectReason.NotOrderOwner, ts));
        else
        {
            output.Add(new OrderCancelled(spec.Symbol, o.Id, o.Leaves, CancelReason.User, ts));
            _resting.Remove(o);
        }
    }

    private void Amend(AmendOrder a, long ts, List<IBookEvent> output)
    {
        var o = _resting.Find(x => x.Id == a.OrderId);
        var price = a.Price ?? o?.Price ?? 0;
        var quantity = a.Quantity ?? o?.Quantity ?? 0;
        RejectReason? reason = null;
        if (o is null) reason = RejectReason.UnknownOrder;
        else if (o.Account != a.Account) reason = RejectReason.NotOrderOwner;
        else if (price <= 0 || price > spec.MaxPriceTicks) reason = RejectReason.InvalidPrice;
        else if (quantity < spec.MinQuantity || quantity > spec.MaxQuantity) reason = RejectReason.InvalidQuantity;
        else if (quantity % spec.LotSize != 0) reason = RejectReason.QuantityNotMultipleOfLot;
        else if (quantity <= o.Filled) reason = RejectReason.QuantityNotAboveFilled;
        else if (price == o.Price && quantity == o.Quantity) reason = RejectReason.NothingToAmend;
        else if (price != o.Price && o.PostOnly && BestOpposite(o.Side) is { } b && Reaches(o.Side, price, b.Price))
            reason = RejectReason.PostOnlyWouldTakeLiquidity;
        if (reason is { } r)
        {
            output.Add(new OrderRejected(spec.Symbol, a.Account, o?.ClientOrderId ?? "", a.OrderId, r, ts));
            return;
        }
        var keep = price == o!.Price && quantity < o.Quantity;
        output.Add(new OrderAmended(spec.Symbol, o.Id, price, quantity, keep, ts));
        o.Quantity = quantity;
        if (keep) return;
        o.Price = price;
        o.Seq = ++_prio;
        _resting.Remove(o);
        if (MatchIncoming(o, price, ts, output))
            output.Add(new OrderCancelled(spec.Symbol, o.Id, o.Leaves, CancelReason.SelfTrade, ts));
        else if (o.Leaves > 0)
            _resting.Add(o);
    }
}
