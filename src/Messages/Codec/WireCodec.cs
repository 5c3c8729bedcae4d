using System.Buffers;

namespace AkkaExchange.Messages.Codec;

/// <summary>
/// The versioned binary form of what nodes send each other (behind the Akka serializer of these messages): symbol
/// requests, their replies and market data. A message is a tag byte, a version byte, then its fields
/// (<see cref="PayloadWriter"/>). Tags are stable and never reused.
/// </summary>
public static class WireCodec
{
    public const byte Version = 1;

    // Retired, never reused: 20 (null reply), 24 (bare trade list), 32 (the home-made transport's subscription).
    private const byte PlaceOrderTag = 1, CancelClientOrderTag = 2, AmendClientOrderTag = 3, GetOrderTag = 4, GetBookTag = 5, GetTradesTag = 6,
        GetSymbolStateTag = 7, RequestSnapshotTag = 8;
    private const byte OrderReportTag = 21, CommandRejectedTag = 22, BookViewTag = 23, RecentTradesTag = 25, SymbolStateReportTag = 26;
    private const byte TradeUpdateTag = 30, BookUpdateTag = 31, SnapshotTag = 33;

    /// <summary>True when <see cref="Encode(object, IBufferWriter{byte})"/> has a form for this message.</summary>
    public static bool Handles(object message) => message is PlaceOrder or CancelClientOrder or AmendClientOrder or GetOrder or GetBook or GetTrades
        or GetSymbolState or RequestMarketDataSnapshot or OrderReport or CommandRejected or BookView or RecentTrades or SymbolStateReport
        or TradeUpdate or BookUpdate or MarketDataSnapshot;

    public static void Encode(object message, IBufferWriter<byte> output)
    {
        var w = new PayloadWriter(output);
        switch (message)
        {
            case PlaceOrder p:
                Head(ref w, PlaceOrderTag);
                w.String(p.Symbol); w.String(p.Account); w.String(p.ClientOrderId); w.Byte((byte)p.Side); w.Byte((byte)p.Type);
                w.Long(p.Price); w.Long(p.Quantity); w.Byte((byte)p.TimeInForce); w.Bool(p.PostOnly);
                break;
            case CancelClientOrder c:
                Head(ref w, CancelClientOrderTag); w.String(c.Symbol); w.String(c.Account); w.String(c.ClientOrderId);
                break;
            case AmendClientOrder a:
                Head(ref w, AmendClientOrderTag); w.String(a.Symbol); w.String(a.Account); w.String(a.ClientOrderId); w.OptionalLong(a.Price); w.OptionalLong(a.Quantity);
                break;
            case GetOrder g:
                Head(ref w, GetOrderTag); w.String(g.Symbol); w.String(g.Account); w.String(g.ClientOrderId);
                break;
            case GetBook b:
                Head(ref w, GetBookTag); w.String(b.Symbol); w.Int(b.Depth);
                break;
            case GetTrades t:
                Head(ref w, GetTradesTag); w.String(t.Symbol); w.Int(t.Limit);
                break;
            case GetSymbolState g:
                Head(ref w, GetSymbolStateTag); w.String(g.Symbol);
                break;
            case RequestMarketDataSnapshot q:
                Head(ref w, RequestSnapshotTag); w.String(q.Symbol); w.String(q.RequestId);
                break;
            case OrderReport r:
                Head(ref w, OrderReportTag);
                OrderReportCodec.Write(ref w, r);
                break;
            case CommandRejected c:
                Head(ref w, CommandRejectedTag); w.String(c.Symbol); w.String(c.Account); w.String(c.ClientOrderId); w.Byte((byte)c.Reason);
                break;
            case BookView v:
                Head(ref w, BookViewTag); View(ref w, v);
                break;
            case RecentTrades t:
                Head(ref w, RecentTradesTag); w.String(t.Symbol); w.Int(t.Trades.Count);
                foreach (var trade in t.Trades) Trade(ref w, trade);
                break;
            case SymbolStateReport s:
                Head(ref w, SymbolStateReportTag); w.String(s.Symbol); w.Long(s.Sequence); w.Long((long)s.StateHash);
                break;
            case MarketDataSnapshot m:
                Head(ref w, SnapshotTag); w.String(m.Symbol); w.String(m.RequestId); View(ref w, m.Book);
                break;
            case TradeUpdate u:
                Head(ref w, TradeUpdateTag); w.String(u.Symbol); w.Long(u.Sequence); w.Long(u.PreviousSequence); w.Long(u.TradeId);
                w.Long(u.Price); w.Long(u.Quantity); w.Byte((byte)u.AggressorSide); w.Long(u.Timestamp);
                break;
            case BookUpdate b:
                Head(ref w, BookUpdateTag); w.String(b.Symbol); w.Long(b.Sequence); w.Long(b.PreviousSequence); Levels(ref w, b.Bids); Levels(ref w, b.Asks);
                break;
            default:
                throw new CodecException($"no wire codec for {message.GetType().Name}");
        }
    }

    public static byte[] Encode(object message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        Encode(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static object Decode(ReadOnlySpan<byte> input)
    {
        var r = new PayloadReader(input);
        var tag = r.Byte();
        var version = r.Byte();
        if (version != Version) throw new CodecException($"unknown wire version {version} of tag {tag}");
        object message = tag switch
        {
            PlaceOrderTag => new PlaceOrder(r.String(), r.String(), r.String(), r.Enum<Side>(), r.Enum<OrderType>(), r.Long(), r.Long(), r.Enum<TimeInForce>(), r.Bool()),
            CancelClientOrderTag => new CancelClientOrder(r.String(), r.String(), r.String()),
            AmendClientOrderTag => new AmendClientOrder(r.String(), r.String(), r.String(), r.OptionalLong(), r.OptionalLong()),
            GetOrderTag => new GetOrder(r.String(), r.String(), r.String()),
            GetBookTag => new GetBook(r.String(), r.Int()),
            GetTradesTag => new GetTrades(r.String(), r.Int()),
            GetSymbolStateTag => new GetSymbolState(r.String()),
            RequestSnapshotTag => new RequestMarketDataSnapshot(r.String(), r.String()),
            OrderReportTag => OrderReportCodec.Read(ref r),
            CommandRejectedTag => new CommandRejected(r.String(), r.String(), r.String(), r.Enum<RejectReason>()),
            BookViewTag => ReadView(ref r),
            RecentTradesTag => new RecentTrades(r.String(), ReadTrades(ref r)),
            SymbolStateReportTag => new SymbolStateReport(r.String(), r.Long(), (ulong)r.Long()),
            SnapshotTag => new MarketDataSnapshot(r.String(), r.String(), ReadView(ref r)),
            TradeUpdateTag => new TradeUpdate(r.String(), r.Long(), r.Long(), r.Long(), r.Long(), r.Long(), r.Enum<Side>(), r.Long()),
            BookUpdateTag => new BookUpdate(r.String(), r.Long(), r.Long(), ReadLevels(ref r), ReadLevels(ref r)),
            _ => throw new CodecException($"unknown wire tag {tag}"),
        };
        if (!r.End) throw new CodecException($"trailing bytes after wire tag {tag}");
        return message;
    }

    private static void Head(ref PayloadWriter w, byte tag)
    {
        w.Byte(tag);
        w.Byte(Version);
    }

    private static void Levels(ref PayloadWriter w, IReadOnlyList<BookLevel> levels)
    {
        w.Int(levels.Count);
        foreach (var l in levels) { w.Long(l.Price); w.Long(l.Quantity); w.Int(l.Orders); }
    }

    private static void Trade(ref PayloadWriter w, TradeExecuted t) => BookEventCodec.Write(ref w, t);

    private static void View(ref PayloadWriter w, BookView v)
    {
        w.String(v.Symbol); w.Long(v.Sequence);
        Levels(ref w, v.Bids); Levels(ref w, v.Asks);
        w.Bool(v.LastTrade is not null);
        if (v.LastTrade is { } lt) Trade(ref w, lt);
    }

    private static BookView ReadView(ref PayloadReader r) =>
        new(r.String(), r.Long(), ReadLevels(ref r), ReadLevels(ref r), r.Bool() ? ReadTrade(ref r) : null);

    private static IReadOnlyList<BookLevel> ReadLevels(ref PayloadReader r)
    {
        var n = OrderReportCodec.Count(ref r);
        var levels = new BookLevel[n];
        for (var i = 0; i < n; i++) levels[i] = new BookLevel(r.Long(), r.Long(), r.Int());
        return levels;
    }

    private static TradeExecuted ReadTrade(ref PayloadReader r) => BookEventCodec.ReadTrade(ref r);

    private static IReadOnlyList<TradeExecuted> ReadTrades(ref PayloadReader r)
    {
        var n = OrderReportCodec.Count(ref r);
        var trades = new TradeExecuted[n];
        for (var i = 0; i < n; i++) trades[i] = ReadTrade(ref r);
        return trades;
    }
}
