using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;

namespace AkkaExchange.Actors.Tests;

public sealed class CodecSpecs
{
    public static TheoryData<IBookEvent> Events() => new()
    {
        new OrderAccepted("AAPL", 7, "BD001-C002", "cl-é-1", Side.Sell, OrderType.Limit, 19025, 100, TimeInForce.Fok, true, 1_700_000_000_000_001),
        new OrderAccepted("AAPL", 8, "A", "x", Side.Buy, OrderType.Market, 0, 1, TimeInForce.Ioc, false, 0),
        new OrderRejected("MSFT", "A", "c", 0, RejectReason.PostOnlyWouldTakeLiquidity, 5),
        new TradeExecuted("MSFT", long.MaxValue, 1, 2, Side.Sell, 3, "M", 4, "T", -1),
        new OrderCancelled("X", 9, 10, CancelReason.SelfTrade, 11),
        new OrderAmended("X", 9, 12, 13, true, 14),
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Every_event_type_survives_encode_then_decode(IBookEvent e)
    {
        var payload = BookEventCodec.Encode(e);
        Assert.Equal(e, BookEventCodec.Decode(BookEventCodec.TagOf(e), BookEventCodec.CurrentVersion, payload));
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void A_truncated_or_padded_payload_is_refused(IBookEvent e)
    {
        var payload = BookEventCodec.Encode(e);
        var tag = BookEventCodec.TagOf(e);
        Assert.Throws<CodecException>(() => BookEventCodec.Decode(tag, 1, payload.AsSpan(0, payload.Length - 1)));
        Assert.Throws<CodecException>(() => BookEventCodec.Decode(tag, 1, [.. payload, 0]));
    }

    [Fact]
    public void Unknown_tags_versions_and_enum_values_are_refused()
    {
        var payload = BookEventCodec.Encode(new OrderCancelled("X", 1, 1, CancelReason.User, 1));
        Assert.Throws<CodecException>(() => BookEventCodec.Decode(99, 1, payload));
        Assert.Throws<CodecException>(() => BookEventCodec.Decode(BookEventCodec.OrderCancelledTag, 2, payload));
        payload[^1] = 200;
        Assert.Throws<CodecException>(() => BookEventCodec.Decode(BookEventCodec.OrderCancelledTag, 1, payload));
    }
}
