using System.Buffers;

namespace AkkaExchange.Messages.Codec;

/// <summary>
/// The versioned binary form of book events, for the journal and the wire. A journal row stores the type tag,
/// the version and the payload separately; a decoder keeps every version it ever wrote, so old journals replay.
/// Current version of every event: 1. Tags are stable and never reused.
/// </summary>
public static class BookEventCodec
{
    public const byte CurrentVersion = 1;

    public const byte OrderAcceptedTag = 1;
    public const byte OrderRejectedTag = 2;
    public const byte TradeExecutedTag = 3;
    public const byte OrderCancelledTag = 4;
    public const byte OrderAmendedTag = 5;

    /// <summary>The type tag of an event.</summary>
    public static byte TagOf(IBookEvent e) => e switch
    {
        OrderAccepted => OrderAcceptedTag,
        OrderRejected => OrderRejectedTag,
        TradeExecuted => TradeExecutedTag,
        OrderCancelled => OrderCancelledTag,
        OrderAmended => OrderAmendedTag,
        _ => throw new CodecException($"no codec for {e.GetType().Name}"),
    };

    /// <summary>Writes the payload (without tag and version) of an event at the current version.</summary>
    public static void Encode(IBookEvent e, IBufferWriter<byte> output)
    {
        var w = new PayloadWriter(output);
        w.String(e.Symbol);
        w.Long(e.Timestamp);
        switch (e)
        {
            case OrderAccepted a:
                w.Long(a.OrderId); w.String(a.Account); w.String(a.ClientOrderId); w.Byte((byte)a.Side); w.Byte((byte)a.Type);
                w.Long(a.Price); w.Long(a.Quantity); w.Byte((byte)a.TimeInForce); w.Bool(a.PostOnly);
                break;
            case OrderRejected r:
                w.String(r.Account); w.String(r.ClientOrderId); w.Long(r.OrderId); w.Byte((byte)r.Reason);
                break;
            case TradeExecuted t:
                w.Long(t.TradeId); w.Long(t.Price); w.Long(t.Quantity); w.Byte((byte)t.AggressorSide);
                w.Long(t.MakerOrderId); w.String(t.MakerAccount); w.Long(t.TakerOrderId); w.String(t.TakerAccount);
                break;
            case OrderCancelled c:
                w.Long(c.OrderId); w.Long(c.CancelledQuantity); w.Byte((byte)c.Reason);
                break;
            case OrderAmended m:
                w.Long(m.OrderId); w.Long(m.Price); w.Long(m.Quantity); w.Bool(m.KeptPriority);
                break;
            default:
                throw new CodecException($"no codec for {e.GetType().Name}");
        }
    }

    /// <summary>A whole trade (symbol and time included), for messages that carry trades.</summary>
    public static void Write(ref PayloadWriter w, TradeExecuted t)
    {
        w.String(t.Symbol); w.Long(t.Timestamp); w.Long(t.TradeId); w.Long(t.Price); w.Long(t.Quantity); w.Byte((byte)t.AggressorSide);
        w.Long(t.MakerOrderId); w.String(t.MakerAccount); w.Long(t.TakerOrderId); w.String(t.TakerAccount);
    }

    /// <summary>Reads what <see cref="Write(ref PayloadWriter, TradeExecuted)"/> wrote.</summary>
    public static TradeExecuted ReadTrade(ref PayloadReader r)
    {
        var symbol = r.String();
        var ts = r.Long();
        return new TradeExecuted(symbol, r.Long(), r.Long(), r.Long(), r.Enum<Side>(), r.Long(), r.String(), r.Long(), r.String(), ts);
    }

    /// <summary>The payload of an event as a new array.</summary>
    public static byte[] Encode(IBookEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(96);
        Encode(e, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a payload of the given tag and version; rejects trailing bytes.</summary>
    public static IBookEvent Decode(byte tag, byte version, ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        var e = Read(ref r, tag, version);
        if (!r.End) throw new CodecException($"trailing bytes after event tag {tag}");
        return e;
    }

    /// <summary>Reads one event payload of the given tag and version from <paramref name="r"/>, leaving what follows it.</summary>
    public static IBookEvent Read(ref PayloadReader r, byte tag, byte version)
    {
        if (version != 1) throw new CodecException($"unknown version {version} of event tag {tag}");
        var symbol = r.String();
        var ts = r.Long();
        IBookEvent e = tag switch
        {
            OrderAcceptedTag => new OrderAccepted(symbol, r.Long(), r.String(), r.String(), r.Enum<Side>(), r.Enum<OrderType>(),
                r.Long(), r.Long(), r.Enum<TimeInForce>(), r.Bool(), ts),
            OrderRejectedTag => new OrderRejected(symbol, r.String(), r.String(), r.Long(), r.Enum<RejectReason>(), ts),
            TradeExecutedTag => new TradeExecuted(symbol, r.Long(), r.Long(), r.Long(), r.Enum<Side>(), r.Long(), r.String(),
                r.Long(), r.String(), ts),
            OrderCancelledTag => new OrderCancelled(symbol, r.Long(), r.Long(), r.Enum<CancelReason>(), ts),
            OrderAmendedTag => new OrderAmended(symbol, r.Long(), r.Long(), r.Long(), r.Bool(), ts),
            _ => throw new CodecException($"unknown event tag {tag}"),
        };
        return e;
    }
}
