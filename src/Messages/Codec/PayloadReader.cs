using System.Buffers.Binary;
using System.Text;

namespace AkkaExchange.Messages.Codec;

/// <summary>Reads what <see cref="PayloadWriter"/> wrote; throws <see cref="CodecException"/> on truncated or bad input.</summary>
public ref struct PayloadReader(ReadOnlySpan<byte> input)
{
    private ReadOnlySpan<byte> _input = input;

    public readonly bool End => _input.IsEmpty;

    public byte Byte()
    {
        Need(1);
        var b = _input[0];
        _input = _input[1..];
        return b;
    }

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var b => throw new CodecException($"bad boolean byte {b}"),
    };

    public long Long()
    {
        Need(8);
        var v = BinaryPrimitives.ReadInt64LittleEndian(_input);
        _input = _input[8..];
        return v;
    }

    public int Int()
    {
        Need(4);
        var v = BinaryPrimitives.ReadInt32LittleEndian(_input);
        _input = _input[4..];
        return v;
    }

    public long? OptionalLong() => Bool() ? Long() : null;

    public string String()
    {
        var length = (int)VarUInt();
        Need(length);
        var s = Encoding.UTF8.GetString(_input[..length]);
        _input = _input[length..];
        return s;
    }

    public T Enum<T>() where T : struct, System.Enum
    {
        var b = Byte();
        var value = (T)(object)b;
        return System.Enum.IsDefined(value) ? value : throw new CodecException($"bad {typeof(T).Name} value {b}");
    }

    private uint VarUInt()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Byte();
            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new CodecException("varint too long");
    }

    private readonly void Need(int n)
    {
        if (n < 0 || _input.Length < n) throw new CodecException("payload truncated");
    }
}
