using System.Buffers;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Symbols;

namespace AkkaExchange.Actors.Serialization;

/// <summary>
/// Akka serializer of what symbol entities keep: journal rows (<see cref="SymbolEvents"/>, manifest <c>E1</c>) and
/// snapshots (<see cref="SymbolSnapshot"/>, manifest <c>S</c> + codec version), plus their hand-off stop message.
/// A manifest names the format version of what it tags, so a reader picks the decoder of the version written.
/// </summary>
public sealed class SymbolEntitySerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 7302;
    private const string EventsV1 = "E1", SnapshotPrefix = "S", Stop = "X";

    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>Every type this serializer is bound to (<see cref="SerializationConfig"/>).</summary>
    public static readonly IReadOnlyList<Type> Types = [typeof(SymbolEvents), typeof(SymbolSnapshot), typeof(StopSymbol)];

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        SymbolEvents => EventsV1,
        SymbolSnapshot => SnapshotPrefix + SymbolSnapshotCodec.CurrentVersion,
        StopSymbol => Stop,
        _ => throw new SerializationException($"{nameof(SymbolEntitySerializer)} does not handle {o.GetType().Name}"),
    };

    public override byte[] ToBinary(object obj)
    {
        switch (obj)
        {
            case SymbolEvents row:
                var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
                buffer.ResetWrittenCount();
                SymbolEventsCodec.Encode(row, buffer);
                return buffer.WrittenSpan.ToArray();
            case SymbolSnapshot snapshot:
                return SymbolSnapshotCodec.Encode(snapshot);
            case StopSymbol:
                return [];
            default:
                throw new SerializationException($"{nameof(SymbolEntitySerializer)} does not handle {obj.GetType().Name}");
        }
    }

    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        EventsV1 => SymbolEventsCodec.Decode(bytes),
        Stop => StopSymbol.Instance,
        _ when manifest.StartsWith(SnapshotPrefix, StringComparison.Ordinal) && int.TryParse(manifest.AsSpan(1), out var version) =>
            SymbolSnapshotCodec.Decode(version, bytes),
        _ => throw new SerializationException($"unknown manifest '{manifest}'"),
    };
}
