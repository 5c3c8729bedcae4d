namespace AkkaExchange.Messages.Codec;

/// <summary>
/// The binary form of an <see cref="OrderReport"/>, shared by the wire (replies between nodes) and the symbol
/// snapshots. Any change is a new version of both: add fields at the end, never reorder.
/// </summary>
public static class OrderReportCodec
{
    public static void Write(ref PayloadWriter w, OrderReport r)
    {
        w.String(r.Symbol); w.Long(r.OrderId); w.String(r.Account); w.String(r.ClientOrderId); w.Byte((byte)r.Side); w.Byte((byte)r.Type);
        w.Long(r.Price); w.Long(r.Quantity); w.Byte((byte)r.TimeInForce); w.Bool(r.PostOnly); w.Byte((byte)r.Status);
        w.Long(r.FilledQuantity); w.Long(r.LeavesQuantity);
        w.Int(r.Fills.Count);
        foreach (var f in r.Fills) { w.Long(f.TradeId); w.Long(f.Price); w.Long(f.Quantity); }
        w.OptionalLong(r.RejectReason is { } rr ? (long)rr : null); w.OptionalLong(r.CancelReason is { } cr ? (long)cr : null);
        w.Long(r.Timestamp); w.Long(r.OriginalPrice); w.Long(r.OriginalQuantity); w.Long(r.Version);
    }

    /// <summary>
    /// Reads a report. <paramref name="versionless"/> reads the form written before reports had a version (symbol
    /// snapshots of version 2) and gives them that version: the snapshot's sequence is at least the true one and below
    /// any later change's, so newer-than comparisons stay right.
    /// </summary>
    public static OrderReport Read(ref PayloadReader r, long? versionless = null)
    {
        var symbol = r.String(); var orderId = r.Long(); var account = r.String(); var clientOrderId = r.String();
        // A refused new order's report has no side, type or time in force (0): read those as they are.
        var side = (Side)r.Byte(); var type = (OrderType)r.Byte(); var price = r.Long(); var quantity = r.Long();
        var tif = (TimeInForce)r.Byte(); var postOnly = r.Bool(); var status = r.Enum<OrderStatus>(); var filled = r.Long(); var leaves = r.Long();
        var n = Count(ref r);
        var fills = new OrderFill[n];
        for (var i = 0; i < n; i++) fills[i] = new OrderFill(r.Long(), r.Long(), r.Long());
        var reject = r.OptionalLong() is { } rr ? (RejectReason?)(RejectReason)rr : null;
        var cancel = r.OptionalLong() is { } cr ? (CancelReason?)(CancelReason)cr : null;
        return new OrderReport(symbol, orderId, account, clientOrderId, side, type, price, quantity, tif, postOnly, status, filled, leaves,
            fills, reject, cancel, r.Long(), r.Long(), r.Long(), versionless ?? r.Long());
    }

    /// <summary>A count read from the payload, refused when it cannot be right.</summary>
    public static int Count(ref PayloadReader r)
    {
        var n = r.Int();
        return n is >= 0 and <= 10_000_000 ? n : throw new CodecException($"bad count {n}");
    }
}
