using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Serialization;
using AkkaExchange.Messages;

namespace AkkaExchange.Domain.Tests;

/// <summary>
/// An order report's version against a reference model: for seeded random client streams (place, resubmit, cancel,
/// amend by clientOrderId) every remembered order's version is the sequence number of the last journaled event that
/// named it; of two reports of one order, the later never has a lower version, and two reports are equal exactly when
/// their versions are. Versions survive a snapshot (restored and through the binary codec).
/// </summary>
public sealed class OrderVersionSpecs
{
    private const int Steps = 5_000;

    public static TheoryData<int> Seeds() => new(Enumerable.Range(1, 5));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_report_s_version_is_the_sequence_of_the_last_event_that_changed_the_order(int seed)
    {
        var spec = new InstrumentSpec("VER");
        var state = new SymbolState(spec);
        var random = new Random(seed);
        var lastChanged = new Dictionary<ClientOrderKey, long>();
        var keyOfOrder = new Dictionary<long, ClientOrderKey>();
        var lastReport = new Dictionary<ClientOrderKey, OrderReport>();
        var events = new List<IBookEvent>();
        long changes = 0, unchanged = 0;

        for (var step = 1; step <= Steps; step++)
        {
            var account = "A" + random.Next(4);
            var key = new ClientOrderKey(account, "c" + random.Next(step / 3 + 1));
            var price = 95L + random.Next(11);
            IWithSymbol command = random.Next(10) switch
            {
                < 6 => new PlaceOrder(spec.Symbol, account, key.ClientOrderId, random.Next(2) == 0 ? Side.Buy : Side.Sell,
                    OrderType.Limit, price, 1 + random.Next(20), TimeInForce.Gtc, false),
                < 8 => new CancelClientOrder(spec.Symbol, account, key.ClientOrderId),
                _ => new AmendClientOrder(spec.Symbol, account, key.ClientOrderId, null, 1 + random.Next(20)),
            };
            events.Clear();
            SymbolLogic.Decide(state, command, step, events);
            foreach (var e in events)
            {
                state.Apply(e);
                foreach (var touched in Touched(e, keyOfOrder)) lastChanged[touched] = state.Sequence;
            }

            foreach (var k in events.SelectMany(e => Touched(e, keyOfOrder)).Append(key).Distinct())
            {
                if (state.Registry.Find(k) is not { } record) continue;
                var report = record.ToReport();
                Assert.Equal(lastChanged[k], report.Version);
                if (lastReport.TryGetValue(k, out var before))
                {
                    Assert.True(report.Version >= before.Version, $"seed {seed} step {step}: {k} went back from {before.Version} to {report.Version}");
                    Assert.Equal(report.Version == before.Version, report.Equals(before));
                    if (report.Version == before.Version) unchanged++; else changes++;
                }
                lastReport[k] = report;
            }
        }

        var snapshot = state.Snapshot();
        var restored = SymbolState.Restore(spec, snapshot);
        var decoded = SymbolSnapshotCodec.Decode(SymbolSnapshotCodec.CurrentVersion, SymbolSnapshotCodec.Encode(snapshot));
        Assert.Equal(state.StateHash(), restored.StateHash());
        Assert.Equal(snapshot.Orders, decoded.Orders);
        Assert.All(snapshot.Orders, o => Assert.Equal(lastChanged[new ClientOrderKey(o.Account, o.ClientOrderId)], o.Version));
        // The stream must change orders and also answer without changing them.
        Assert.True(changes > Steps / 10, $"only {changes} changed reports");
        Assert.True(unchanged > Steps / 20, $"only {unchanged} unchanged reports");
    }

    private static IEnumerable<ClientOrderKey> Touched(IBookEvent e, Dictionary<long, ClientOrderKey> keyOfOrder)
    {
        switch (e)
        {
            case OrderAccepted a:
                var key = new ClientOrderKey(a.Account, a.ClientOrderId);
                keyOfOrder[a.OrderId] = key;
                yield return key;
                break;
            case OrderRejected { OrderId: 0 } r:
                yield return new ClientOrderKey(r.Account, r.ClientOrderId);
                break;
            case TradeExecuted t:
                yield return keyOfOrder[t.MakerOrderId];
                yield return keyOfOrder[t.TakerOrderId];
                break;
            case OrderCancelled c:
                yield return keyOfOrder[c.OrderId];
                break;
            case OrderAmended m:
                yield return keyOfOrder[m.OrderId];
                break;
        }
    }
}
