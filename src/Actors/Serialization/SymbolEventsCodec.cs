using System.Buffers;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Messages;
using AkkaExchange.Messages.Codec;

namespace AkkaExchange.Actors.Serialization;

/// <summary>
/// The binary form of a journal row (<see cref="SymbolEvents"/>): the first sequence number, the count, then each
/// event as its tag, its version and its payload (<see cref="BookEventCodec"/>), so every event keeps its own
/// version and old rows replay after an event changes.
/// </summary>
public static class SymbolEventsCodec
{
    public static void Encode(SymbolEvents row, IBufferWriter<byte> output)
    {
        var w = new PayloadWriter(output);
        w.Long(row.FirstSequence);
        w.Int(row.Events.Count);
        foreach (var e in row.Events)
        {
            w.Byte(BookEventCodec.TagOf(e));
            w.Byte(BookEventCodec.CurrentVersion);
            BookEventCodec.Encode(e, output);
        }
    }

    public static SymbolEvents Decode(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        var first = r.Long();
        var events = new IBookEvent[OrderReportCodec.Count(ref r)];
        for (var i = 0; i < events.Length; i++)
        {
            var tag = r.Byte();
            events[i] = BookEventCodec.Read(ref r, tag, r.Byte());
        }
        if (!r.End) throw new CodecException("trailing bytes after a journal row");
        return new SymbolEvents(first, events);
    }
}
