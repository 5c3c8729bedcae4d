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
        Registry.Apply(e);
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

    public static SymbolState Restore(InstrumentSpec spec, SymbolSnapshot snapshot, int retainedDoneOrders = OrderRegistry.DefaultRetainedDoneOrders)
    {
        var state = new SymbolState(OrderBook.Restore(spec, snapshot.Book), new OrderRegistry(retainedDoneOrders));
        foreach (var report in snapshot.Orders) state.Registry.Restore(OrderRecord.FromReport(report));
        foreach (var trade in snapshot.RecentTrades) state.Remember(trade);
        return state;
    }
}
