using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Node.Api;

/// <summary>
/// Turns the JSON of order requests into commands, or refuses them with a precise reason
/// (<see cref="ApiRequestException"/>, status 400). Validation happens here, at the edge, so nothing invalid is
/// ever journaled. Unknown fields are refused too: a misspelt "postonly" must not silently mean false.
/// </summary>
public static partial class OrderRequests
{
    private static readonly HashSet<string> PlaceFields =
        ["op", "account", "clientOrderId", "symbol", "side", "type", "price", "quantity", "timeInForce", "postOnly"];
    private static readonly HashSet<string> AmendFields = ["op", "account", "clientOrderId", "symbol", "price", "quantity"];
    private static readonly HashSet<string> CancelFields = ["op", "account", "clientOrderId", "symbol"];

    // \z, not $: "$" also matches before a final newline, which would let "A\n" through.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}\\z")]
    private static partial Regex AccountPattern();

    [GeneratedRegex("^[\\x21-\\x7E]{1,64}\\z")]
    private static partial Regex ClientOrderIdPattern();

    public static PlaceOrder ParsePlace(JsonElement body, IReadOnlyDictionary<string, InstrumentSpec> instruments)
    {
        OnlyKnownFields(body, PlaceFields);
        var account = TradingAccount(RequiredString(body, "account"));
        var clientOrderId = ClientOrderId(RequiredString(body, "clientOrderId"));
        var spec = Instrument(RequiredString(body, "symbol"), instruments);
        var side = RequiredString(body, "side") switch
        {
            "buy" => Side.Buy,
            "sell" => Side.Sell,
            _ => throw new ApiRequestException(400, RejectReasonText.Of(RejectReason.InvalidSide)),
        };
        var type = (OptionalString(body, "type") ?? "limit") switch
        {
            "limit" => OrderType.Limit,
            "market" => OrderType.Market,
            _ => throw new ApiRequestException(400, RejectReasonText.Of(RejectReason.InvalidOrderType)),
        };
        var tif = (OptionalString(body, "timeInForce") ?? (type == OrderType.Market ? "ioc" : "gtc")) switch
        {
            "gtc" => TimeInForce.Gtc,
            "ioc" => TimeInForce.Ioc,
            "fok" => TimeInForce.Fok,
            _ => throw new ApiRequestException(400, RejectReasonText.Of(RejectReason.InvalidTimeInForce)),
        };
        var postOnly = OptionalBool(body, "postOnly") ?? false;
        var quantity = Quantity(body, spec) ?? throw new ApiRequestException(400, "quantity is required");
        long price = 0;
        var priceGiven = Price(body, spec);
        if (type == OrderType.Limit) price = priceGiven ?? throw new ApiRequestException(400, "price is required for a limit order");
        else if (priceGiven is not null) throw new ApiRequestException(400, "a market order takes no price");
        if (type == OrderType.Market && tif == TimeInForce.Gtc) throw new ApiRequestException(400, RejectReasonText.Of(RejectReason.MarketOrderMustBeImmediate));
        if (type == OrderType.Market && postOnly) throw new ApiRequestException(400, RejectReasonText.Of(RejectReason.MarketOrderCannotBePostOnly));
        return new PlaceOrder(spec.Symbol, account, clientOrderId, side, type, price, quantity, tif, postOnly);
    }

    /// <summary>An amend's new price and/or quantity; the target comes from the path or from the body.</summary>
    public static (long? Price, long? Quantity) ParseAmend(JsonElement body, InstrumentSpec spec)
    {
        OnlyKnownFields(body, AmendFields);
        var price = Price(body, spec);
        var quantity = Quantity(body, spec);
        if (price is null && quantity is null) throw new ApiRequestException(400, "amend needs a price or a quantity");
        return (price, quantity);
    }

    public static (string Account, string ClientOrderId, InstrumentSpec Spec) ParseTarget(JsonElement body,
        IReadOnlyDictionary<string, InstrumentSpec> instruments, bool amend)
    {
        OnlyKnownFields(body, amend ? AmendFields : CancelFields);
        return (Account(RequiredString(body, "account")), ClientOrderId(RequiredString(body, "clientOrderId")),
            Instrument(RequiredString(body, "symbol"), instruments));
    }

    public const int MaxLookup = 1_000;

    /// <summary><c>{"orders":[{"symbol","account","clientOrderId"}, …]}</c>, at most <see cref="MaxLookup"/> of them.</summary>
    public static IReadOnlyList<(string Symbol, string Account, string ClientOrderId)> ParseLookup(JsonElement body,
        IReadOnlyDictionary<string, InstrumentSpec> instruments)
    {
        OnlyKnownFields(body, LookupFields);
        if (!body.TryGetProperty("orders", out var orders) || orders.ValueKind != JsonValueKind.Array)
            throw new ApiRequestException(400, "orders must be an array");
        if (orders.GetArrayLength() > MaxLookup) throw new ApiRequestException(400, $"at most {MaxLookup} orders per lookup");
        var keys = new List<(string, string, string)>();
        foreach (var o in orders.EnumerateArray())
        {
            if (o.ValueKind != JsonValueKind.Object) throw new ApiRequestException(400, "each order must be an object");
            OnlyKnownFields(o, CancelFields);
            keys.Add((Instrument(RequiredString(o, "symbol"), instruments).Symbol, Account(RequiredString(o, "account")),
                ClientOrderId(RequiredString(o, "clientOrderId"))));
        }
        return keys;
    }

    private static readonly HashSet<string> LookupFields = ["orders"];

    public static string Account(string account) =>
        AccountPattern().IsMatch(account) ? account : throw new ApiRequestException(400, RejectReasonText.Of(RejectReason.InvalidAccount));

    public static bool IsAccount(string account) => AccountPattern().IsMatch(account);

    /// <summary>An account an order may be entered under: valid, and not one of the ledger's own (EXCHANGE, EXTERNAL).</summary>
    public static string TradingAccount(string account) =>
        !Actors.Settlement.Domain.Accounts.IsReserved(Account(account)) ? account : throw new ApiRequestException(400, "account is reserved for the ledger");

    public static string ClientOrderId(string id) =>
        ClientOrderIdPattern().IsMatch(id) ? id : throw new ApiRequestException(400, RejectReasonText.Of(RejectReason.InvalidClientOrderId));

    public static InstrumentSpec Instrument(string symbol, IReadOnlyDictionary<string, InstrumentSpec> instruments) =>
        instruments.TryGetValue(symbol, out var spec) ? spec : throw new ApiRequestException(400, $"unknown symbol '{Truncate(symbol)}'");

    private static void OnlyKnownFields(JsonElement body, HashSet<string> known)
    {
        foreach (var p in body.EnumerateObject())
            if (!known.Contains(p.Name)) throw new ApiRequestException(400, $"unknown field '{Truncate(p.Name)}'");
    }

    internal static string RequiredString(JsonElement body, string name) =>
        OptionalString(body, name) ?? throw new ApiRequestException(400, $"{name} is required");

    private static string? OptionalString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ApiRequestException(400, $"{name} must be a string");
    }

    private static bool? OptionalBool(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ApiRequestException(400, $"{name} must be true or false"),
        };
    }

    private static long? Quantity(JsonElement body, InstrumentSpec spec)
    {
        if (!body.TryGetProperty("quantity", out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var q))
            throw new ApiRequestException(400, "quantity must be a whole number");
        if (spec.CheckQuantity(q) is { } reason)
            throw new ApiRequestException(400, $"{RejectReasonText.Of(reason)} ({spec.MinQuantity}..{spec.MaxQuantity}, lot {spec.LotSize})");
        return q;
    }

    private static long? Price(JsonElement body, InstrumentSpec spec)
    {
        if (!body.TryGetProperty("price", out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
            throw new ApiRequestException(400, "price must be a number or a decimal string");
        if (!TryReadDecimal(v, out var price))
            throw new ApiRequestException(400, v.ValueKind == JsonValueKind.Number ? "price is not a decimal number" : "price must be a decimal such as \"101.25\"");
        return spec.TryToTicks(price, out var ticks)
            ? ticks
            : throw new ApiRequestException(400, $"{RejectReasonText.Of(RejectReason.InvalidPrice)} (tick {spec.TickSize})");
    }

    /// <summary>A decimal given as a JSON number or as a decimal string ("101.25"); false for anything else.</summary>
    internal static bool TryReadDecimal(JsonElement v, out decimal value)
    {
        value = 0;
        return v.ValueKind switch
        {
            JsonValueKind.Number => v.TryGetDecimal(out value),
            JsonValueKind.String => decimal.TryParse(v.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
