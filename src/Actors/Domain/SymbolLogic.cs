using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>
/// Decides the commands clients send to a symbol (orders named by account and clientOrderId) on top of
/// <see cref="OrderBookLogic"/>: idempotent entry, and resolution of client ids to the book's order ids.
/// Pure: it reads the state and appends the events to journal; the caller applies them.
/// </summary>
public static class SymbolLogic
{
    public static SymbolDecision Decide(SymbolState state, IWithSymbol command, long timestamp, List<IBookEvent> events)
    {
        switch (command)
        {
            case PlaceOrder p:
            {
                var key = new ClientOrderKey(p.Account, p.ClientOrderId);
                if (state.Registry.Find(key) is { } existing)
                    return SameOrder(existing, p)
                        ? new SymbolDecision(SymbolDecisionKind.Existing, key, default)
                        : new SymbolDecision(SymbolDecisionKind.Rejected, key, RejectReason.DuplicateClientOrderId);
                OrderBookLogic.Decide(state.Book, p, timestamp, events);
                return new SymbolDecision(SymbolDecisionKind.Decided, key, default);
            }
            case CancelClientOrder c:
                return Resolve(state, new ClientOrderKey(c.Account, c.ClientOrderId), timestamp, events,
                    id => new CancelOrder(c.Symbol, c.Account, id));
            case AmendClientOrder a:
                return Resolve(state, new ClientOrderKey(a.Account, a.ClientOrderId), timestamp, events,
                    id => new AmendOrder(a.Symbol, a.Account, id, a.Price, a.Quantity));
            default:
                throw new ArgumentException($"not a symbol command: {command.GetType().Name}", nameof(command));
        }
    }

    private static SymbolDecision Resolve(SymbolState state, ClientOrderKey key, long timestamp, List<IBookEvent> events,
        Func<long, IBookCommand> toBookCommand)
    {
        var record = state.Registry.Find(key);
        if (record is null || record.Leaves == 0)
            return new SymbolDecision(SymbolDecisionKind.Rejected, key, RejectReason.UnknownOrder);
        var start = events.Count;
        OrderBookLogic.Decide(state.Book, toBookCommand(record.OrderId), timestamp, events);
        // A refused cancel or amend changes nothing, so it is answered but not journaled.
        if (events.Count == start + 1 && events[start] is OrderRejected r)
        {
            events.RemoveAt(start);
            return new SymbolDecision(SymbolDecisionKind.Rejected, key, r.Reason);
        }
        return new SymbolDecision(SymbolDecisionKind.Decided, key, default);
    }

    /// <summary>A resubmission is the same order when it repeats what was first sent (amends notwithstanding).</summary>
    private static bool SameOrder(OrderRecord r, PlaceOrder p) =>
        r.Status == OrderStatus.Rejected
        || (r.Side == p.Side && r.Type == p.Type && r.TimeInForce == p.TimeInForce && r.PostOnly == p.PostOnly
            && r.OriginalQuantity == p.Quantity && (p.Type == OrderType.Market || r.OriginalPrice == p.Price));
}
