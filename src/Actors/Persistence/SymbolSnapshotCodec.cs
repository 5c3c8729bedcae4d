using System.Text.Json;
using AkkaExchange.Actors.Domain;

namespace AkkaExchange.Actors.Persistence;

/// <summary>
/// Snapshots of a symbol's state as versioned JSON (snapshots are written rarely and off the order path, so
/// readability wins over size). Version 1 is the only one so far; a decoder keeps every version it ever wrote.
/// </summary>
public static class SymbolSnapshotCodec
{
    public const int CurrentVersion = 1;
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static byte[] Encode(SymbolSnapshot snapshot) => JsonSerializer.SerializeToUtf8Bytes(snapshot, Options);

    public static SymbolSnapshot Decode(int version, byte[] payload) => version switch
    {
        1 => JsonSerializer.Deserialize<SymbolSnapshot>(payload, Options) ?? throw new InvalidDataException("empty snapshot"),
        _ => throw new InvalidDataException($"unknown snapshot version {version}"),
    };
}
