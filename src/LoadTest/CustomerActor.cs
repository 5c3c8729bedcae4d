using System.Globalization;
using Akka.Actor;

namespace AkkaExchange.LoadTest;

/// <summary>
/// One simulated customer of a broker/dealer: when its send is due it picks what to send (by the order mix),
/// a random symbol, side and quantity, a price near the symbol's walking reference, and hands it to its broker.
/// It remembers its resting orders so that its cancels and amends name real ones.
/// </summary>
internal sealed class CustomerActor(int broker, int customer, string run, IActorRef brokerRef, LoadOptions options, PriceWalk prices,
    IReadOnlyList<SymbolInfo> symbols, int seed) : UntypedActor
{
    private readonly Random _rng = new(seed);
    private readonly string _account = AccountOf(broker, customer);

    /// <summary>A customer's account: <c>BD&lt;broker&gt;-C&lt;customer&gt;</c>, so the ledger knows its broker.</summary>
    public static string AccountOf(int broker, int customer) => $"BD{broker:000}-C{customer:000}";
    private readonly List<(string Id, int Symbol, bool Buy)> _resting = new();
    private readonly HashSet<string> _busy = new();
    private long _sequence;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case SendDue due:
                brokerRef.Tell(new Submit(customer, due.Due, Next()), Self);
                break;
            case Answered answered:
                Update(answered.Order, answered.Frame);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private OutgoingOrder Next()
    {
        var kind = options.Mix.Pick(_rng);
        if (kind is OrderKind.Cancel or OrderKind.Amend)
        {
            var idle = _resting.FindIndex(r => !_busy.Contains(r.Id));
            if (idle >= 0)
            {
                var (id, s, buy) = _resting[idle];
                _busy.Add(id);
                var symbol = symbols[s];
                if (kind == OrderKind.Cancel)
                {
                    var json = $$"""{"op":"cancel","account":"{{_account}}","clientOrderId":"{{id}}","symbol":"{{symbol.Symbol}}"}""";
                    return new OutgoingOrder(kind, symbol.Symbol, _account, id, json, "", buy);
                }
                // Re-price one tick away from the market: it stays a resting order and loses its priority.
                var price = Price(symbol, prices.Mid(s) + (buy ? -6 : 6));
                return new OutgoingOrder(kind, symbol.Symbol, _account, id,
                    $$"""{"op":"amend","account":"{{_account}}","clientOrderId":"{{id}}","symbol":"{{symbol.Symbol}}","price":"{{price}}"}""",
                    $$"""{"price":"{{price}}"}""", buy);
            }
            kind = OrderKind.Limit;
        }
        var index = _rng.Next(symbols.Count);
        var info = symbols[index];
        var isBuy = _rng.Next(2) == 0;
        var side = isBuy ? "buy" : "sell";
        var clientOrderId = $"{run}-{broker:000}-{customer:000}-{++_sequence}";
        var quantity = _rng.Next(1, 101);
        string body;
        if (kind == OrderKind.Market)
        {
            body = $$"""{"op":"place","account":"{{_account}}","clientOrderId":"{{clientOrderId}}","symbol":"{{info.Symbol}}","side":"{{side}}","type":"market","quantity":{{quantity}},"timeInForce":"ioc"}""";
        }
        else
        {
            // Around the reference: most orders rest a few ticks behind it, some cross it and trade.
            var offset = _rng.Next(-3, 6);
            var price = Price(info, prices.Mid(index) + (isBuy ? -offset : offset));
            var tif = kind == OrderKind.Ioc ? "ioc" : "gtc";
            body = $$"""{"op":"place","account":"{{_account}}","clientOrderId":"{{clientOrderId}}","symbol":"{{info.Symbol}}","side":"{{side}}","type":"limit","price":"{{price}}","quantity":{{quantity}},"timeInForce":"{{tif}}"}""";
        }
        return new OutgoingOrder(kind, info.Symbol, _account, clientOrderId, body, body, isBuy);
    }

    private static string Price(SymbolInfo symbol, long ticks) =>
        (Math.Max(1, ticks) * symbol.TickSize).ToString(CultureInfo.InvariantCulture);

    private void Update(OutgoingOrder order, ReportFrame frame)
    {
        _busy.Remove(order.ClientOrderId);
        var working = frame.Status is "new" or "partiallyFilled";
        if (order.Kind == OrderKind.Limit)
        {
            if (working) _resting.Add((order.ClientOrderId, IndexOf(order.Symbol), order.Buy));
            return;
        }
        if (order.Kind is OrderKind.Cancel or OrderKind.Amend && (!working || order.Kind == OrderKind.Cancel))
            _resting.RemoveAll(r => r.Id == order.ClientOrderId);
    }

    private int IndexOf(string symbol)
    {
        for (var i = 0; i < symbols.Count; i++)
            if (symbols[i].Symbol == symbol) return i;
        return 0;
    }
}
