using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Domain.Tests;

/// <summary>Drives a book the way its actor does: decide, then apply; keeps every event for replay checks.</summary>
internal sealed class BookHarness
{
    public const string Sym = "TEST";
    private long _clock = 1_000_000;
    private int _clientIds;

    public BookHarness(InstrumentSpec? spec = null) => Book = new OrderBook(spec ?? new InstrumentSpec(Sym));

    public OrderBook Book { get; }
    public List<IBookEvent> Journal { get; } = new();

    public IReadOnlyList<IBookEvent> Execute(IBookCommand command)
    {
        var events = OrderBookLogic.Decide(Book, command, ++_clock);
        OrderBookLogic.Apply(Book, events);
        Journal.AddRange(events);
        return events;
    }

    public IReadOnlyList<IBookEvent> Limit(string account, Side side, long price, long quantity,
        TimeInForce tif = TimeInForce.Gtc, bool postOnly = false) =>
        Execute(new PlaceOrder(Sym, account, $"c{++_clientIds}", side, OrderType.Limit, price, quantity, tif, postOnly));

    public IReadOnlyList<IBookEvent> Market(string account, Side side, long quantity, TimeInForce tif = TimeInForce.Ioc) =>
        Execute(new PlaceOrder(Sym, account, $"c{++_clientIds}", side, OrderType.Market, 0, quantity, tif, false));

    /// <summary>Places a resting limit order and returns its id.</summary>
    public long Rest(string account, Side side, long price, long quantity, bool postOnly = false)
    {
        var events = Limit(account, side, price, quantity, postOnly: postOnly);
        var accepted = Assert.IsType<OrderAccepted>(events[0]);
        Assert.True(Book.Contains(accepted.OrderId), "expected the order to rest");
        return accepted.OrderId;
    }

    public static IReadOnlyList<TradeExecuted> Trades(IEnumerable<IBookEvent> events) => events.OfType<TradeExecuted>().ToList();
}
