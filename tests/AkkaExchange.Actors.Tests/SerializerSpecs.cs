using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Serialization;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Actors.Tests;

/// <summary>
/// What Akka writes to the journal and sends between nodes goes through the exchange's binary serializers — never a
/// fallback — and comes back equal: every wire message, a journal row of events, a snapshot, the hand-off message.
/// </summary>
public sealed class SerializerSpecs() : TestKit(AkkaConfigs.Sqlite(Path.Combine(RepositoryPaths.TempDirectory("serializers"), "unused.db")))
{
    private object RoundTrip(object message, int serializerId)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.Equal(serializerId, serializer.Identifier);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
    }

    public static TheoryData<object> WireMessages() => WireCodecSpecs.Messages();

    [Theory]
    [MemberData(nameof(WireMessages))]
    public void Every_wire_message_goes_through_the_wire_serializer(object message) =>
        Assert.Equal(message, RoundTrip(message, WireSerializer.Id));

    [Fact]
    public void A_journal_row_of_events_a_snapshot_and_the_hand_off_go_through_the_entity_serializer()
    {
        var state = new SymbolState(new InstrumentSpec("AAA"));
        var events = new List<IBookEvent>();
        var ts = 0L;
        foreach (var p in new[]
        {
            new PlaceOrder("AAA", "S", "s1", Side.Sell, OrderType.Limit, 100, 10, TimeInForce.Gtc, false),
            new PlaceOrder("AAA", "B", "b1", Side.Buy, OrderType.Limit, 100, 4, TimeInForce.Gtc, false),
            new PlaceOrder("AAA", "B", "b2", Side.Buy, OrderType.Limit, 98, 3, TimeInForce.Gtc, true),
            new PlaceOrder("AAA", "B", "b3", Side.Buy, OrderType.Limit, 0, 3, TimeInForce.Gtc, false),
        })
        {
            var before = events.Count;
            SymbolLogic.Decide(state, p, ++ts, events);
            foreach (var e in events.Skip(before)) state.Apply(e);
        }
        var row = new SymbolEvents(1, events);
        Assert.Equal(row, RoundTrip(row, SymbolEntitySerializer.Id));

        var snapshot = state.Snapshot();
        Assert.NotNull(snapshot.Book.LastTrade);
        var decoded = Assert.IsType<SymbolSnapshot>(RoundTrip(snapshot, SymbolEntitySerializer.Id));
        // The restored state is the same state: same hash, same answers.
        Assert.Equal(state.StateHash(), SymbolState.Restore(new InstrumentSpec("AAA"), decoded).StateHash());
        Assert.Equal(4, decoded.Orders.Count);

        Assert.IsType<StopSymbol>(RoundTrip(StopSymbol.Instance, SymbolEntitySerializer.Id));
    }

    [Fact]
    public void A_corrupt_journal_row_or_snapshot_is_refused_not_misread()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(SymbolEvents));
        var row = new SymbolEvents(7, [new OrderCancelled("AAA", 1, 1, CancelReason.User, 1)]);
        var bytes = serializer.ToBinary(row);
        var manifest = serializer.Manifest(row);
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary(bytes[..^1], manifest));
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary([.. bytes, 0], manifest));
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary(bytes, "Z9"));
    }
}
