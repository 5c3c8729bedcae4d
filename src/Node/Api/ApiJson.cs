using System.Globalization;
using System.Text.Json;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Node.Api;

/// <summary>
/// The public JSON shapes. Prices are decimal strings (exact, never binary floating point); quantities integers;
/// enums lower-camel-case words.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
        // Readable error texts ("symbol's", not "symbol\u0027s"); responses are JSON, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Price(InstrumentSpec spec, long ticks) => spec.ToPrice(ticks).ToString(CultureInfo.InvariantCulture);

    public static string Word(Side side) => side == Side.Buy ? "buy" : "sell";

    public static string Word(OrderStatus status) => status switch
    {
        OrderStatus.New => "new",
        OrderStatus.PartiallyFilled => "partiallyFilled",
        OrderStatus.Filled => "filled",
        OrderStatus.Cancelled => "cancelled",
        _ => "rejected",
    };

    public static string Word(CancelReason reason) => reason switch
    {
        CancelReason.User => "user",
        CancelReason.IocRemainder => "iocRemainder",
        CancelReason.FokUnfillable => "fokUnfillable",
        CancelReason.SelfTrade => "selfTrade",
        _ => "marketRemainder",
    };

    /// <summary>Writes an order report as a JSON object (the one shape used by HTTP and WebSocket answers).</summary>
    public static void WriteReport(Utf8JsonWriter w, OrderReport r, InstrumentSpec spec)
    {
        var known = r.OrderId != 0;
        w.WriteStartObject();
        w.WriteNumber("orderId", r.OrderId);
        w.WriteString("account", r.Account);
        w.WriteString("clientOrderId", r.ClientOrderId);
        w.WriteString("symbol", r.Symbol);
        if (known) w.WriteString("side", Word(r.Side)); else w.WriteNull("side");
        if (known) w.WriteString("type", r.Type == OrderType.Market ? "market" : "limit"); else w.WriteNull("type");
        if (known && r.Type == OrderType.Limit) w.WriteString("price", Price(spec, r.Price)); else w.WriteNull("price");
        w.WriteNumber("quantity", r.Quantity);
        if (known) w.WriteString("timeInForce", r.TimeInForce switch { TimeInForce.Gtc => "gtc", TimeInForce.Ioc => "ioc", _ => "fok" });
        else w.WriteNull("timeInForce");
        w.WriteBoolean("postOnly", r.PostOnly);
        w.WriteString("status", Word(r.Status));
        w.WriteNumber("filledQuantity", r.FilledQuantity);
        w.WriteNumber("leavesQuantity", r.LeavesQuantity);
        w.WriteStartArray("fills");
        foreach (var f in r.Fills)
        {
            w.WriteStartObject();
            w.WriteNumber("tradeId", f.TradeId);
            w.WriteString("price", Price(spec, f.Price));
            w.WriteNumber("quantity", f.Quantity);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (r.RejectReason is { } rr) w.WriteString("reason", RejectReasonText.Of(rr));
        else if (r.CancelReason is { } cr) w.WriteString("reason", Word(cr));
        else w.WriteNull("reason");
        w.WriteNumber("timestamp", r.Timestamp);
        w.WriteNumber("version", r.Version);
        w.WriteEndObject();
    }

    /// <summary>An order report as UTF-8 JSON.</summary>
    public static byte[] ReportBytes(OrderReport r, InstrumentSpec spec) => Write(w => WriteReport(w, r, spec));

    /// <summary>Runs a writer into a fresh buffer and returns the bytes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder })) write(w);
        return buffer.WrittenSpan.ToArray();
    }

    public static object Levels(IEnumerable<BookLevel> levels, InstrumentSpec spec) =>
        levels.Select(l => new { price = Price(spec, l.Price), quantity = l.Quantity, orders = l.Orders }).ToArray();

    public static object Book(BookView v, InstrumentSpec spec) => new
    {
        symbol = v.Symbol,
        sequence = v.Sequence,
        bids = Levels(v.Bids, spec),
        asks = Levels(v.Asks, spec),
        lastTrade = v.LastTrade is { } t ? Trade(t, spec) : null,
    };

    public static object Trade(TradeExecuted t, InstrumentSpec spec) => new
    {
        tradeId = t.TradeId,
        symbol = t.Symbol,
        price = Price(spec, t.Price),
        quantity = t.Quantity,
        aggressorSide = Word(t.AggressorSide),
        timestamp = t.Timestamp,
    };

    public static object Update(IMarketDataUpdate update, InstrumentSpec spec) => update switch
    {
        TradeUpdate t => new
        {
            type = "trade", symbol = t.Symbol, sequence = t.Sequence, previousSequence = t.PreviousSequence, tradeId = t.TradeId,
            price = Price(spec, t.Price), quantity = t.Quantity, aggressorSide = Word(t.AggressorSide), timestamp = t.Timestamp,
        },
        BookUpdate b => (object)new
        {
            type = "book", symbol = b.Symbol, sequence = b.Sequence, previousSequence = b.PreviousSequence,
            bids = Levels(b.Bids, spec), asks = Levels(b.Asks, spec),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(update)),
    };

    public static object Error(string message) => new { error = message };
}
