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

    public static object Report(OrderReport r, InstrumentSpec spec) => new
    {
        orderId = r.OrderId,
        account = r.Account,
        clientOrderId = r.ClientOrderId,
        symbol = r.Symbol,
        side = r.Status == OrderStatus.Rejected && r.OrderId == 0 ? null : Word(r.Side),
        type = r.OrderId == 0 ? null : r.Type == OrderType.Market ? "market" : "limit",
        price = r.OrderId == 0 || r.Type == OrderType.Market ? null : Price(spec, r.Price),
        quantity = r.Quantity,
        timeInForce = r.OrderId == 0 ? null : r.TimeInForce.ToString().ToLowerInvariant(),
        postOnly = r.PostOnly,
        status = Word(r.Status),
        filledQuantity = r.FilledQuantity,
        leavesQuantity = r.LeavesQuantity,
        fills = r.Fills.Select(f => new { tradeId = f.TradeId, price = Price(spec, f.Price), quantity = f.Quantity }).ToArray(),
        reason = r.RejectReason is { } rr ? RejectReasonText.Of(rr) : r.CancelReason is { } cr ? Word(cr) : null,
        timestamp = r.Timestamp,
    };

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
