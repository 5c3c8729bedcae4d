using System.Buffers;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;

namespace AkkaExchange.Actors.Serialization;

/// <summary>
/// Akka serializer of the messages between nodes — symbol commands and queries, their replies, market data — in
/// the versioned binary <see cref="WireCodec"/>. The codec's tag says the type, so the manifest is a constant.
/// </summary>
public sealed class WireSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 7301;
    private const string Tagged = "W";

    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>Every type this serializer is bound to (<see cref="SerializationConfig"/>).</summary>
    public static readonly IReadOnlyList<Type> Types =
    [
        typeof(PlaceOrder), typeof(CancelClientOrder), typeof(AmendClientOrder), typeof(GetOrder), typeof(GetBook), typeof(GetTrades),
        typeof(GetSymbolState), typeof(RequestMarketDataSnapshot), typeof(OrderReport), typeof(CommandRejected), typeof(BookView),
        typeof(RecentTrades), typeof(SymbolStateReport), typeof(TradeUpdate), typeof(BookUpdate), typeof(MarketDataSnapshot),
    ];

    public override int Identifier => Id;

    public override string Manifest(object o) => Tagged;

    public override byte[] ToBinary(object obj)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        WireCodec.Encode(obj, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest) =>
        manifest == Tagged ? WireCodec.Decode(bytes) : throw new SerializationException($"unknown wire manifest '{manifest}'");
}
