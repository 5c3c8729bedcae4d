using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>
/// Everything a symbol's actor owns, all rebuilt from its journal: the order book, the registry of every order
/// (idempotency and order reports) and the most recent trades. <see cref="Sequence"/> equals the number of
/// journaled events folded in, which is the journal sequence number of the last one.
/// </summary>
public sealed class SymbolState
{
    public const int RecentTradeCapacity = 1_000;
    private readonly TradeExecuted?[] _recent = new TradeExecuted?[RecentTradeCapacity];
    private int _recentNext;
    private int _recentCount;

    public SymbolState(InstrumentSpec spec, int retainedDoneOrders = OrderRegistry.DefaultRetainedDoneOrders)
        : this(new OrderBook(spec), new OrderRegistry(retainedDoneOrders)) { }

    private SymbolState(OrderBook book, OrderRegistry registry)
    {
        Book = book;
        Registry = registry;
    }

    public OrderBook Book { get; }
    public OrderRegistry Registry { get; }
    public string Symbol => Book.Symbol;
    public long Sequence => Book.Sequence;

    /// <summary>Folds one journaled event into the book, the registry and the recent trades.</summary>
    public void Apply(IBookEvent e)
    {
        Book.Apply(e);
        Registry.Apply(e, Book.Sequence);
        if (e is TradeExecuted t) Remember(t);
    }

    private void Remember(TradeExecuted trade)
    {
        _recent[_recentNext] = trade;
        _recentNext = (_recentNext + 1) % RecentTradeCapacity;
        _recentCount = Math.Min(_recentCount + 1, RecentTradeCapacity);
    }

    /// <summary>Up to <paramref name="limit"/> most recent trades, newest first.</summary>
    public IReadOnlyList<TradeExecuted> RecentTrades(int limit)
    {
        var n = Math.Clamp(limit, 0, _recentCount);
        var list = new TradeExecuted[n];
        for (var i = 0; i < n; i++)
            list[i] = _recent[(_recentNext - 1 - i + RecentTradeCapacity) % RecentTradeCapacity]!;
        return list;
    }

    public BookView View(int depth)
    {
        static IReadOnlyList<BookLevel> Levels(IReadOnlyList<DepthLevel> d) => d.Select(l => new BookLevel(l.Price, l.Quantity, l.Orders)).ToArray();
        return new BookView(Symbol, Sequence, Levels(Book.Depth(Side.Buy, depth)), Levels(Book.Depth(Side.Sell, depth)), Book.LastTrade);
    }

    public SymbolSnapshot Snapshot() =>
        new(Book.Snapshot(), Registry.SnapshotOrder.Select(r => r.ToReport()).ToArray(), RecentTrades(RecentTradeCapacity).Reverse().ToArray());

    /// <summary>
    /// A hash of the whole state (book with its counters, every remembered order, the recent trades): equal for
    /// equal states on any node, so a recovered or restored symbol is compared with the original in one value.
    /// </summary>
    public ulong StateHash()
    {
        var h = new StateHasher();
        var s = Snapshot();
        var b = s.Book;
        h.Add(b.Symbol); h.Add(b.Sequence); h.Add(b.LastOrderId); h.Add(b.LastTradeId); h.Add(b.PrioritySequence); h.Add(b.LastTrade);
        foreach (var side in new[] { b.Bids, b.Asks })
        {
            h.Add(side.Count);
            foreach (var o in side)
            {
                h.Add(o.OrderId); h.Add(o.Account); h.Add(o.ClientOrderId); h.Add((long)o.Side); h.Add(o.Price); h.Add(o.Quantity);
                h.Add(o.Filled); h.Add(o.PostOnly ? 1 : 0); h.Add(o.Timestamp); h.Add(o.PrioritySequence);
            }
        }
        h.Add(s.Orders.Count);
        foreach (var r in s.Orders)
        {
            h.Add(r.OrderId); h.Add(r.Account); h.Add(r.ClientOrderId); h.Add((long)r.Side); h.Add((long)r.Type); h.Add(r.Price); h.Add(r.Quantity);
            h.Add((long)r.TimeInForce); h.Add(r.PostOnly ? 1 : 0); h.Add((long)r.Status); h.Add(r.FilledQuantity); h.Add(r.LeavesQuantity);
            h.Add((long?)r.RejectReason ?? -1); h.Add((long?)r.CancelReason ?? -1); h.Add(r.Timestamp); h.Add(r.OriginalPrice); h.Add(r.OriginalQuantity); h.Add(r.Version);
            h.Add(r.Fills.Count);
            foreach (var f in r.Fills) { h.Add(f.TradeId); h.Add(f.Price); h.Add(f.Quantity); }
        }
        h.Add(s.RecentTrades.Count);
        foreach (var t in s.RecentTrades) h.Add(t);
        return h.Value;
    }

    public static SymbolState Restore(InstrumentSpec spec, SymbolSnapshot snapshot, int retainedDoneOrders = OrderRegistry.DefaultRetainedDoneOrders)
    {
        var state = new SymbolState(OrderBook.Restore(spec, snapshot.Book), new OrderRegistry(retainedDoneOrders));
        foreach (var report in snapshot.Orders) state.Registry.Restore(OrderRecord.FromReport(report));
        foreach (var trade in snapshot.RecentTrades) state.Remember(trade);
        return state;
    }
}
