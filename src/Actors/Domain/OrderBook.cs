using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>
/// The limit order book of one symbol: price-time priority, prices in integer ticks. State changes only
/// through <see cref="OrderBookLogic.Apply(OrderBook, IBookEvent)"/>; <see cref="OrderBookLogic.Decide(OrderBook, IBookCommand, long, List{IBookEvent})"/>
/// only reads it. Between commands every order in the book rests on its price level and the book is not crossed.
/// Not thread-safe: one owner (the symbol's actor) uses it.
/// </summary>
public sealed partial class OrderBook
{
    private readonly Dictionary<long, BookOrder> _orders = new(4096);
    private readonly Stack<BookOrder> _freeOrders = new();

    public OrderBook(InstrumentSpec spec)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        Bids = new BookSide(Side.Buy);
        Asks = new BookSide(Side.Sell);
    }

    public InstrumentSpec Spec { get; }
    public string Symbol => Spec.Symbol;

    /// <summary>Number of events applied since the book was empty; market data carries it as its sequence.</summary>
    public long Sequence { get; private set; }

    /// <summary>The last order id given out; the next accepted order gets one more.</summary>
    public long LastOrderId { get; private set; }

    /// <summary>The last trade id given out; the next trade gets one more.</summary>
    public long LastTradeId { get; private set; }

    /// <summary>Counter stamped on an order each time it joins the back of a price level.</summary>
    public long PrioritySequence { get; private set; }

    /// <summary>The most recent trade, if any.</summary>
    public TradeExecuted? LastTrade { get; private set; }

    /// <summary>Number of working orders.</summary>
    public int OrderCount => _orders.Count;

    internal BookSide Bids { get; }
    internal BookSide Asks { get; }

    internal BookSide SideOf(Side side) => side == Side.Buy ? Bids : Asks;
    internal BookSide Opposite(Side side) => side == Side.Buy ? Asks : Bids;

    internal BookOrder? Find(long orderId) => _orders.GetValueOrDefault(orderId);

    /// <summary>True when the book holds a working order with this id.</summary>
    public bool Contains(long orderId) => _orders.ContainsKey(orderId);

    /// <summary>A copy of one working order, or null.</summary>
    public RestingOrderState? GetOrder(long orderId) => Find(orderId) is { } o ? Copy(o) : null;

    private static RestingOrderState Copy(BookOrder o) =>
        new(o.OrderId, o.Account, o.ClientOrderId, o.Side, o.Price, o.Quantity, o.Filled, o.PostOnly, o.Timestamp, o.PrioritySequence);
}
