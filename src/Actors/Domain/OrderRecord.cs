using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>The life of one order as the registry follows it from the events; copied out as an <see cref="OrderReport"/>.</summary>
public sealed class OrderRecord
{
    public required string Symbol { get; init; }
    public required long OrderId { get; init; }
    public required string Account { get; init; }
    public required string ClientOrderId { get; init; }
    public required Side Side { get; init; }
    public required OrderType Type { get; init; }
    public long Price { get; set; }
    public long Quantity { get; set; }
    public long OriginalPrice { get; init; }
    public long OriginalQuantity { get; init; }
    public required TimeInForce TimeInForce { get; init; }
    public required bool PostOnly { get; init; }
    public OrderStatus Status { get; set; }
    public long Filled { get; set; }
    public long Cancelled { get; set; }
    public List<OrderFill> Fills { get; init; } = new();
    public RejectReason? RejectReason { get; init; }
    public CancelReason? CancelReason { get; set; }
    public required long Timestamp { get; init; }

    /// <summary>The symbol sequence number of the last event that changed this order (<see cref="OrderReport.Version"/>).</summary>
    public long Version { get; set; }

    public long Leaves => Status is OrderStatus.New or OrderStatus.PartiallyFilled ? Quantity - Filled - Cancelled : 0;

    public OrderReport ToReport() => new(Symbol, OrderId, Account, ClientOrderId, Side, Type, Price, Quantity, TimeInForce,
        PostOnly, Status, Filled, Leaves, Fills.ToArray(), RejectReason, CancelReason, Timestamp, OriginalPrice, OriginalQuantity, Version);

    public static OrderRecord FromReport(OrderReport r) => new()
    {
        Symbol = r.Symbol, OrderId = r.OrderId, Account = r.Account, ClientOrderId = r.ClientOrderId, Side = r.Side,
        Type = r.Type, Price = r.Price, Quantity = r.Quantity, TimeInForce = r.TimeInForce, PostOnly = r.PostOnly,
        Status = r.Status, Filled = r.FilledQuantity, Cancelled = r.Status == OrderStatus.Cancelled ? r.Quantity - r.FilledQuantity : 0,
        Fills = r.Fills.ToList(), RejectReason = r.RejectReason, CancelReason = r.CancelReason, Timestamp = r.Timestamp,
        OriginalPrice = r.OriginalPrice, OriginalQuantity = r.OriginalQuantity, Version = r.Version,
    };
}
