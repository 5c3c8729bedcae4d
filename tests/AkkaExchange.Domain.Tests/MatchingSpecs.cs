using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Domain.Tests;

public sealed class MatchingSpecs
{
    private readonly BookHarness _h = new();

    [Fact]
    public void Limit_order_that_does_not_cross_rests_on_the_book()
    {
        var id = _h.Rest("A", Side.Buy, 100, 10);
        var bbo = _h.Book.BestBidOffer();
        Assert.Equal(new DepthLevel(100, 10, 1), bbo.Bid);
        Assert.Null(bbo.Ask);
        Assert.Equal(10, _h.Book.GetOrder(id)!.Leaves);
    }

    [Fact]
    public void Crossing_order_trades_at_the_resting_orders_price()
    {
        var maker = _h.Rest("A", Side.Sell, 100, 10);
        var events = _h.Limit("B", Side.Buy, 105, 10);
        var trade = Assert.Single(BookHarness.Trades(events));
        Assert.Equal(100, trade.Price);
        Assert.Equal(10, trade.Quantity);
        Assert.Equal(maker, trade.MakerOrderId);
        Assert.Equal(Side.Buy, trade.AggressorSide);
        Assert.Equal("A", trade.MakerAccount);
        Assert.Equal("B", trade.TakerAccount);
        Assert.Equal(0, _h.Book.OrderCount);
    }

    [Fact]
    public void Better_price_trades_first()
    {
        _h.Rest("A", Side.Sell, 102, 5);
        var best = _h.Rest("B", Side.Sell, 101, 5);
        var trade = BookHarness.Trades(_h.Limit("C", Side.Buy, 102, 5)).Single();
        Assert.Equal(best, trade.MakerOrderId);
        Assert.Equal(101, trade.Price);
    }

    [Fact]
    public void Earlier_order_at_the_same_price_trades_first()
    {
        var first = _h.Rest("A", Side.Buy, 100, 5);
        var second = _h.Rest("B", Side.Buy, 100, 5);
        var trades = BookHarness.Trades(_h.Limit("C", Side.Sell, 100, 7));
        Assert.Equal([first, second], trades.Select(t => t.MakerOrderId));
        Assert.Equal([5L, 2L], trades.Select(t => t.Quantity));
        Assert.Equal(3, _h.Book.GetOrder(second)!.Leaves);
    }

    [Fact]
    public void Partially_filled_incoming_order_rests_with_its_remainder()
    {
        _h.Rest("A", Side.Sell, 100, 4);
        var events = _h.Limit("B", Side.Buy, 100, 10);
        var id = ((OrderAccepted)events[0]).OrderId;
        var order = _h.Book.GetOrder(id)!;
        Assert.Equal(4, order.Filled);
        Assert.Equal(6, order.Leaves);
        Assert.Equal(new DepthLevel(100, 6, 1), _h.Book.BestBidOffer().Bid);
    }

    [Fact]
    public void Market_order_sweeps_levels_and_cancels_what_is_left()
    {
        _h.Rest("A", Side.Sell, 100, 3);
        _h.Rest("A", Side.Sell, 101, 3);
        var events = _h.Market("B", Side.Buy, 10);
        Assert.Equal([100L, 101L], BookHarness.Trades(events).Select(t => t.Price));
        var cancel = Assert.IsType<OrderCancelled>(events[^1]);
        Assert.Equal(4, cancel.CancelledQuantity);
        Assert.Equal(CancelReason.MarketRemainder, cancel.Reason);
        Assert.Equal(0, _h.Book.OrderCount);
    }

    [Fact]
    public void Market_order_on_an_empty_book_is_cancelled_whole()
    {
        var events = _h.Market("B", Side.Sell, 10);
        Assert.Equal(CancelReason.MarketRemainder, Assert.IsType<OrderCancelled>(events[^1]).Reason);
        Assert.Equal(0, _h.Book.OrderCount);
    }

    [Theory]
    [InlineData(TimeInForce.Gtc, false, RejectReason.MarketOrderMustBeImmediate)]
    [InlineData(TimeInForce.Ioc, true, RejectReason.MarketOrderCannotBePostOnly)]
    public void Market_order_must_be_immediate_and_cannot_be_post_only(TimeInForce tif, bool postOnly, RejectReason reason)
    {
        var events = _h.Execute(new PlaceOrder(BookHarness.Sym, "A", "x", Side.Buy, OrderType.Market, 0, 1, tif, postOnly));
        Assert.Equal(reason, Assert.IsType<OrderRejected>(Assert.Single(events)).Reason);
    }

    [Fact]
    public void Ioc_remainder_is_cancelled_not_rested()
    {
        _h.Rest("A", Side.Sell, 100, 4);
        var events = _h.Limit("B", Side.Buy, 100, 10, TimeInForce.Ioc);
        Assert.Single(BookHarness.Trades(events));
        var cancel = Assert.IsType<OrderCancelled>(events[^1]);
        Assert.Equal((6L, CancelReason.IocRemainder), (cancel.CancelledQuantity, cancel.Reason));
        Assert.Equal(0, _h.Book.OrderCount);
    }

    [Fact]
    public void Fok_that_cannot_fill_completely_trades_nothing()
    {
        var maker = _h.Rest("A", Side.Sell, 100, 4);
        _h.Rest("A", Side.Sell, 102, 10);
        var events = _h.Limit("B", Side.Buy, 101, 5, TimeInForce.Fok);
        Assert.Empty(BookHarness.Trades(events));
        Assert.Equal(CancelReason.FokUnfillable, Assert.IsType<OrderCancelled>(events[^1]).Reason);
        Assert.Equal(4, _h.Book.GetOrder(maker)!.Leaves);
    }

    [Fact]
    public void Fok_that_can_fill_trades_across_levels()
    {
        _h.Rest("A", Side.Sell, 100, 4);
        _h.Rest("A", Side.Sell, 101, 4);
        var events = _h.Limit("B", Side.Buy, 101, 8, TimeInForce.Fok);
        Assert.Equal(8, BookHarness.Trades(events).Sum(t => t.Quantity));
        Assert.DoesNotContain(events, e => e is OrderCancelled);
    }

    [Fact]
    public void Fok_counts_only_liquidity_before_its_own_accounts_order()
    {
        _h.Rest("A", Side.Sell, 100, 4);
        _h.Rest("B", Side.Sell, 100, 4);
        _h.Rest("A", Side.Sell, 100, 4);
        var events = _h.Limit("B", Side.Buy, 100, 8, TimeInForce.Fok);
        Assert.Empty(BookHarness.Trades(events));
        Assert.Equal(CancelReason.FokUnfillable, Assert.IsType<OrderCancelled>(events[^1]).Reason);
    }

    [Fact]
    public void Post_only_order_that_would_take_liquidity_is_rejected()
    {
        _h.Rest("A", Side.Sell, 100, 4);
        var events = _h.Limit("B", Side.Buy, 100, 1, postOnly: true);
        Assert.Equal(RejectReason.PostOnlyWouldTakeLiquidity, Assert.IsType<OrderRejected>(Assert.Single(events)).Reason);
        Assert.Equal(1, _h.Book.OrderCount);
    }

    [Fact]
    public void Post_only_order_that_does_not_cross_rests()
    {
        _h.Rest("A", Side.Sell, 100, 4);
        _h.Rest("B", Side.Buy, 99, 1, postOnly: true);
        Assert.Equal(2, _h.Book.OrderCount);
    }

    [Fact]
    public void Self_trade_prevention_cancels_the_incoming_remainder_and_keeps_earlier_fills()
    {
        var other = _h.Rest("B", Side.Sell, 100, 3);
        var own = _h.Rest("A", Side.Sell, 100, 5);
        _h.Rest("C", Side.Sell, 100, 5);
        var events = _h.Limit("A", Side.Buy, 100, 10);
        var trade = Assert.Single(BookHarness.Trades(events));
        Assert.Equal(other, trade.MakerOrderId);
        var cancel = Assert.IsType<OrderCancelled>(events[^1]);
        Assert.Equal((7L, CancelReason.SelfTrade), (cancel.CancelledQuantity, cancel.Reason));
        Assert.Equal(5, _h.Book.GetOrder(own)!.Leaves);
        Assert.DoesNotContain(BookHarness.Trades(_h.Journal), t => t.MakerAccount == t.TakerAccount);
    }

    [Fact]
    public void Cancel_removes_the_order_and_reports_its_leaves()
    {
        var id = _h.Rest("A", Side.Buy, 100, 10);
        _h.Limit("B", Side.Sell, 100, 3);
        var cancel = Assert.IsType<OrderCancelled>(Assert.Single(_h.Execute(new CancelOrder(BookHarness.Sym, "A", id))));
        Assert.Equal((7L, CancelReason.User), (cancel.CancelledQuantity, cancel.Reason));
        Assert.False(_h.Book.Contains(id));
        Assert.Null(_h.Book.BestBidOffer().Bid);
    }

    [Fact]
    public void Cancel_of_unknown_or_done_order_is_rejected()
    {
        var id = _h.Rest("A", Side.Buy, 100, 10);
        _h.Execute(new CancelOrder(BookHarness.Sym, "A", id));
        var reject = Assert.IsType<OrderRejected>(Assert.Single(_h.Execute(new CancelOrder(BookHarness.Sym, "A", id))));
        Assert.Equal(RejectReason.UnknownOrder, reject.Reason);
    }

    [Fact]
    public void Cancel_by_another_account_is_rejected_and_changes_nothing()
    {
        var id = _h.Rest("A", Side.Buy, 100, 10);
        var before = _h.Book.Snapshot();
        var reject = Assert.IsType<OrderRejected>(Assert.Single(_h.Execute(new CancelOrder(BookHarness.Sym, "B", id))));
        Assert.Equal(RejectReason.NotOrderOwner, reject.Reason);
        Assert.Equal(before with { Sequence = before.Sequence + 1 }, _h.Book.Snapshot());
    }

    [Fact]
    public void Amend_reducing_quantity_keeps_time_priority()
    {
        var first = _h.Rest("A", Side.Buy, 100, 10);
        _h.Rest("B", Side.Buy, 100, 10);
        var amended = Assert.IsType<OrderAmended>(Assert.Single(_h.Execute(new AmendOrder(BookHarness.Sym, "A", first, null, 4))));
        Assert.True(amended.KeptPriority);
        var trade = BookHarness.Trades(_h.Limit("C", Side.Sell, 100, 1)).Single();
        Assert.Equal(first, trade.MakerOrderId);
        Assert.Equal(new DepthLevel(100, 13, 2), _h.Book.BestBidOffer().Bid);
    }

    [Fact]
    public void Amend_increasing_quantity_loses_time_priority()
    {
        var first = _h.Rest("A", Side.Buy, 100, 10);
        var second = _h.Rest("B", Side.Buy, 100, 10);
        Assert.False(((OrderAmended)_h.Execute(new AmendOrder(BookHarness.Sym, "A", first, null, 12))[0]).KeptPriority);
        Assert.Equal(second, BookHarness.Trades(_h.Limit("C", Side.Sell, 100, 1)).Single().MakerOrderId);
    }

    [Fact]
    public void Amend_changing_price_loses_time_priority()
    {
        var first = _h.Rest("A", Side.Buy, 100, 10);
        var second = _h.Rest("B", Side.Buy, 101, 10);
        _h.Execute(new AmendOrder(BookHarness.Sym, "A", first, 101, null));
        Assert.Equal(second, BookHarness.Trades(_h.Limit("C", Side.Sell, 101, 1)).Single().MakerOrderId);
        Assert.Equal(new DepthLevel(101, 19, 2), _h.Book.BestBidOffer().Bid);
    }

    [Fact]
    public void Amend_to_a_crossing_price_trades_as_an_incoming_order()
    {
        var ask = _h.Rest("A", Side.Sell, 102, 4);
        var bid = _h.Rest("B", Side.Buy, 100, 10);
        var events = _h.Execute(new AmendOrder(BookHarness.Sym, "B", bid, 103, null));
        var trade = BookHarness.Trades(events).Single();
        Assert.Equal((ask, bid, 102L, 4L), (trade.MakerOrderId, trade.TakerOrderId, trade.Price, trade.Quantity));
        Assert.Equal(new DepthLevel(103, 6, 1), _h.Book.BestBidOffer().Bid);
    }

    [Fact]
    public void Amend_to_quantity_not_above_filled_is_rejected()
    {
        var bid = _h.Rest("B", Side.Buy, 100, 10);
        _h.Limit("A", Side.Sell, 100, 6);
        var reject = Assert.IsType<OrderRejected>(Assert.Single(_h.Execute(new AmendOrder(BookHarness.Sym, "B", bid, null, 6))));
        Assert.Equal(RejectReason.QuantityNotAboveFilled, reject.Reason);
    }

    [Fact]
    public void Amend_that_changes_nothing_is_rejected()
    {
        var bid = _h.Rest("B", Side.Buy, 100, 10);
        var reject = Assert.IsType<OrderRejected>(Assert.Single(_h.Execute(new AmendOrder(BookHarness.Sym, "B", bid, 100, 10))));
        Assert.Equal(RejectReason.NothingToAmend, reject.Reason);
    }

    [Fact]
    public void Post_only_order_cannot_be_amended_into_the_spread_crossing()
    {
        _h.Rest("A", Side.Sell, 102, 4);
        var bid = _h.Rest("B", Side.Buy, 100, 10, postOnly: true);
        var reject = Assert.IsType<OrderRejected>(Assert.Single(_h.Execute(new AmendOrder(BookHarness.Sym, "B", bid, 102, null))));
        Assert.Equal(RejectReason.PostOnlyWouldTakeLiquidity, reject.Reason);
        Assert.Equal(100, _h.Book.GetOrder(bid)!.Price);
    }

    [Theory]
    [InlineData(0L, 100L, RejectReason.InvalidQuantity)]
    [InlineData(-5L, 100L, RejectReason.InvalidQuantity)]
    [InlineData(1_000_001L, 100L, RejectReason.InvalidQuantity)]
    [InlineData(10L, 0L, RejectReason.InvalidPrice)]
    [InlineData(10L, -1L, RejectReason.InvalidPrice)]
    [InlineData(10L, 100_000_001L, RejectReason.InvalidPrice)]
    public void Invalid_quantity_or_price_is_rejected_and_changes_nothing(long quantity, long price, RejectReason reason)
    {
        _h.Rest("A", Side.Sell, 100, 4);
        var before = _h.Book.Snapshot();
        var events = _h.Limit("B", Side.Buy, price, quantity);
        Assert.Equal(reason, Assert.IsType<OrderRejected>(Assert.Single(events)).Reason);
        Assert.Equal(before with { Sequence = before.Sequence + 1 }, _h.Book.Snapshot());
    }

    [Fact]
    public void Quantity_off_the_lot_size_is_rejected()
    {
        var h = new BookHarness(new InstrumentSpec(BookHarness.Sym, lotSize: 100));
        Assert.Equal(RejectReason.QuantityNotMultipleOfLot, Assert.IsType<OrderRejected>(h.Limit("A", Side.Buy, 100, 150)[0]).Reason);
        Assert.IsType<OrderAccepted>(h.Limit("A", Side.Buy, 100, 200)[0]);
    }

    [Theory]
    [InlineData("10.01", true, 1001L)]
    [InlineData("10.015", false, 0L)]
    [InlineData("0", false, 0L)]
    [InlineData("-1.00", false, 0L)]
    [InlineData("1000000.00", true, 100_000_000L)]
    [InlineData("1000000.01", false, 0L)]
    [InlineData("79228162514264337593543950335", false, 0L)] // decimal.MaxValue: would overflow the division by the tick
    [InlineData("10000000000000000000000000000", false, 0L)]
    public void Prices_convert_to_ticks_only_when_on_tick_and_in_range(string price, bool ok, long ticks)
    {
        var spec = new InstrumentSpec("X");
        Assert.Equal(ok, spec.TryToTicks(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), out var t));
        Assert.Equal(ticks, t);
        if (ok) Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), spec.ToPrice(t));
    }

    [Fact]
    public void Depth_aggregates_quantity_and_order_count_per_level_best_first()
    {
        _h.Rest("A", Side.Buy, 100, 10);
        _h.Rest("B", Side.Buy, 100, 5);
        _h.Rest("C", Side.Buy, 99, 7);
        _h.Rest("C", Side.Buy, 101, 1);
        Assert.Equal([new DepthLevel(101, 1, 1), new DepthLevel(100, 15, 2)], _h.Book.Depth(Side.Buy, 2));
        Assert.Equal(3, _h.Book.LevelCount(Side.Buy));
        Assert.Empty(_h.Book.Depth(Side.Sell, 5));
    }

    [Fact]
    public void Last_trade_is_the_most_recent_execution()
    {
        _h.Rest("A", Side.Sell, 100, 3);
        _h.Rest("A", Side.Sell, 101, 3);
        var trades = BookHarness.Trades(_h.Limit("B", Side.Buy, 101, 6));
        Assert.Equal(trades[^1], _h.Book.LastTrade);
        Assert.Equal(2, _h.Book.LastTradeId);
    }

    [Fact]
    public void Ids_are_sequential_and_deterministic()
    {
        var a = _h.Rest("A", Side.Sell, 100, 3);
        var b = _h.Rest("A", Side.Sell, 101, 3);
        Assert.Equal((1L, 2L), (a, b));
    }

    [Fact]
    public void Replaying_the_journal_rebuilds_the_same_book()
    {
        _h.Rest("A", Side.Sell, 100, 3);
        var bid = _h.Rest("B", Side.Buy, 99, 8);
        _h.Limit("C", Side.Buy, 101, 5);
        _h.Execute(new AmendOrder(BookHarness.Sym, "B", bid, null, 6));
        var replayed = OrderBookLogic.Apply(new OrderBook(new InstrumentSpec(BookHarness.Sym)), _h.Journal);
        Assert.Equal(_h.Book.Snapshot(), replayed.Snapshot());
    }

    [Fact]
    public void Snapshot_restored_and_continued_equals_the_live_book()
    {
        _h.Rest("A", Side.Sell, 100, 3);
        _h.Rest("B", Side.Buy, 99, 8);
        var cut = _h.Journal.Count;
        var restored = OrderBook.Restore(_h.Book.Spec, _h.Book.Snapshot());
        _h.Limit("C", Side.Buy, 101, 5);
        _h.Limit("D", Side.Sell, 98, 5);
        OrderBookLogic.Apply(restored, _h.Journal.Skip(cut).ToList());
        Assert.Equal(_h.Book.Snapshot(), restored.Snapshot());
    }

    [Fact]
    public void An_event_out_of_sequence_is_an_error_not_skipped()
    {
        var book = new OrderBook(new InstrumentSpec(BookHarness.Sym));
        var e = new OrderAccepted(BookHarness.Sym, 5, "A", "c", Side.Buy, OrderType.Limit, 100, 1, TimeInForce.Gtc, false, 0);
        Assert.Throws<InvalidEventException>(() => OrderBookLogic.Apply(book, e));
        var trade = new TradeExecuted(BookHarness.Sym, 1, 100, 1, Side.Buy, 1, "A", 2, "B", 0);
        Assert.Throws<InvalidEventException>(() => OrderBookLogic.Apply(book, trade));
    }

    [Fact]
    public void An_event_of_another_symbol_is_an_error()
    {
        var book = new OrderBook(new InstrumentSpec(BookHarness.Sym));
        var e = new OrderAccepted("OTHER", 1, "A", "c", Side.Buy, OrderType.Limit, 100, 1, TimeInForce.Gtc, false, 0);
        Assert.Throws<InvalidEventException>(() => OrderBookLogic.Apply(book, e));
    }
}
