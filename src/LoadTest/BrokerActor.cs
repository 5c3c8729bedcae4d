using Akka.Actor;

namespace AkkaExchange.LoadTest;

/// <summary>
/// One simulated broker/dealer: sends its customers' orders on its connection, matches each answer to its
/// request, records the latency from the scheduled send time, tells the customer, and keeps the list of
/// acknowledged orders for verification.
/// </summary>
internal sealed class BrokerActor(int index, IOrderTransport transport, LoadStats stats, IActorRef[] customers, RunClock clock, long warmupUntil) : UntypedActor
{
    private readonly Dictionary<string, (Submit Submit, long Due)> _pending = new();
    private readonly List<AckedOrder> _acked = new();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Submit s:
                if (!_pending.TryAdd(s.Order.ClientOrderId, (s, s.Due)))
                {
                    // The customer reused an id still in flight: a bug of the load test, counted, never sent twice.
                    stats.CountError();
                    break;
                }
                stats.CountSent();
                transport.Send(index, s.Order);
                break;
            case Answer a:
                if (!_pending.Remove(a.Frame.ClientOrderId, out var p)) break;
                stats.Record(a.Frame, (clock.Now - p.Due) / 10, warmup: p.Due < warmupUntil);
                if (p.Submit.Order.Kind is OrderKind.Limit or OrderKind.Market or OrderKind.Ioc && a.Frame.IsAcknowledged)
                    _acked.Add(new AckedOrder(p.Submit.Order.Symbol, p.Submit.Order.Account, p.Submit.Order.ClientOrderId, a.Frame.OrderId));
                customers[p.Submit.Customer].Tell(new Answered(p.Submit.Order, a.Frame));
                break;
            case ExpirePending:
                var expired = _pending.Count;
                for (var i = 0; i < expired; i++) stats.CountError();
                _pending.Clear();
                Sender.Tell(expired);
                break;
            case GetAcked:
                Sender.Tell(_acked.ToArray());
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
