using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;

namespace AkkaExchange.Actors.Tests;

public sealed class WireCodecSpecs
{
    private static readonly TradeExecuted Trade = new("AAPL", 9, 19025, 40, Side.Buy, 1, "S", 2, "B", 1_700_000_000_000_000);

    public static TheoryData<object> Messages() => new()
    {
        new PlaceOrder("AAPL", "BD001-C001", "cl-1", Side.Sell, OrderType.Limit, 19025, 100, TimeInForce.Gtc, true),
        new PlaceOrder("AAPL", "A", "m", Side.Buy, OrderType.Market, 0, 1, TimeInForce.Fok, false),
        new CancelClientOrder("MSFT", "A", "c"),
        new AmendClientOrder("MSFT", "A", "c", 101, null),
        new AmendClientOrder("MSFT", "A", "c", null, 7),
        new GetOrder("TSLA", "A", "c"),
        new GetBook("TSLA", 25),
        new GetTrades("TSLA", 50),
        new OrderReport("AAPL", 2, "B", "b1", Side.Buy, OrderType.Limit, 19030, 40, TimeInForce.Gtc, false, OrderStatus.Filled, 40, 0,
            [new OrderFill(1, 19025, 40)], null, null, 5, 19030, 40, 9),
        new OrderReport("AAPL", 0, "B", "r1", default, default, 0, 0, default, false, OrderStatus.Rejected, 0, 0, [],
            RejectReason.PostOnlyWouldTakeLiquidity, null, 6, 0, 0, 10),
        new OrderReport("AAPL", 3, "B", "c1", Side.Sell, OrderType.Limit, 1, 5, TimeInForce.Ioc, false, OrderStatus.Cancelled, 0, 0, [],
            null, CancelReason.IocRemainder, 7, 1, 5, 12),
        new CommandRejected("AAPL", "A", "x", RejectReason.UnknownOrder),
        new BookView("AAPL", 42, [new BookLevel(100, 5, 1), new BookLevel(99, 7, 2)], [new BookLevel(101, 1, 1)], Trade),
        new BookView("AAPL", 0, [], [], null),
        new TradeUpdate("AAPL", 12, 10, 9, 19025, 40, Side.Sell, 77),
        new GetSymbolState("AAPL"),
        new SymbolStateReport("AAPL", 12, ulong.MaxValue - 3),
        new RequestMarketDataSnapshot("AAPL", "r-1"),
        new MarketDataSnapshot("AAPL", "r-1", new BookView("AAPL", 42, [new BookLevel(100, 5, 1)], [], Trade)),
    };

    [Fact]
    public void A_book_update_survives_encode_then_decode()
    {
        var update = new BookUpdate("AAPL", 13, 12, [new BookLevel(100, 5, 1)], [new BookLevel(101, 2, 2)]);
        var decoded = (BookUpdate)WireCodec.Decode(WireCodec.Encode(update));
        Assert.Equal((update.Symbol, update.Sequence, update.PreviousSequence), (decoded.Symbol, decoded.Sequence, decoded.PreviousSequence));
        Assert.Equal(update.Bids, decoded.Bids);
        Assert.Equal(update.Asks, decoded.Asks);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_wire_message_survives_encode_then_decode(object message) =>
        Assert.Equal(message, WireCodec.Decode(WireCodec.Encode(message)));

    [Fact]
    public void A_trade_list_survives_encode_then_decode()
    {
        var trades = new RecentTrades("AAPL", [Trade, Trade with { TradeId = 10 }]);
        var decoded = (RecentTrades)WireCodec.Decode(WireCodec.Encode(trades));
        Assert.Equal(trades.Symbol, decoded.Symbol);
        Assert.Equal(trades.Trades, decoded.Trades);
    }

    [Fact]
    public void Unknown_tags_versions_truncation_and_padding_are_refused()
    {
        var bytes = WireCodec.Encode(new GetBook("AAPL", 5));
        Assert.Throws<CodecException>(() => WireCodec.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<CodecException>(() => WireCodec.Decode([.. bytes, 1]));
        Assert.Throws<CodecException>(() => WireCodec.Decode([99, 1]));
        Assert.Throws<CodecException>(() => WireCodec.Decode([bytes[0], 9, .. bytes[2..]]));
        Assert.Throws<CodecException>(() => WireCodec.Encode(new object()));
    }
}
