using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace AkkaExchange.Node.Transport;

/// <summary>
/// The node-to-node wire: frames of <c>[int32 length][byte kind][int64 correlation id][payload]</c>, little-endian,
/// at most <see cref="MaxFrameBytes"/>. Before any frame, the accepting side sends a 16-byte challenge and the
/// connecting side answers with its node id and HMAC-SHA256(cluster secret, challenge ‖ node id): a peer without
/// the secret is refused.
/// </summary>
public static class FrameIO
{
    public const int MaxFrameBytes = 4 * 1024 * 1024;
    private const int HeaderBytes = 4 + 1 + 8;

    public static byte[] Frame(FrameKind kind, long correlation, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, 1 + 8 + payload.Length);
        frame[4] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(5), correlation);
        payload.CopyTo(frame.AsSpan(HeaderBytes));
        return frame;
    }

    public static byte[] Failure(long correlation, int status, string reason)
    {
        var text = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[4 + text.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, status);
        text.CopyTo(payload, 4);
        return Frame(FrameKind.Failure, correlation, payload);
    }

    public static (int Status, string Reason) ReadFailure(ReadOnlySpan<byte> payload) =>
        (BinaryPrimitives.ReadInt32LittleEndian(payload), Encoding.UTF8.GetString(payload[4..]));

    /// <summary>Reads one frame; null at a clean end of stream.</summary>
    public static async Task<(FrameKind Kind, long Correlation, byte[] Payload)?> ReadAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var header = new byte[HeaderBytes];
        if (!await ReadExactlyOrEndAsync(stream, header, cancellation)) return null;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 9 || length > MaxFrameBytes) throw new IOException($"bad frame length {length}");
        var payload = new byte[length - 9];
        await stream.ReadExactlyAsync(payload, cancellation);
        return ((FrameKind)header[4], BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(5)), payload);
    }

    /// <summary>Writes queued frames, packing what is waiting into one socket write.</summary>
    public static async Task WriteLoopAsync(NetworkStream stream, ChannelReader<byte[]> frames, CancellationToken cancellation)
    {
        var buffer = new byte[256 * 1024];
        while (await frames.WaitToReadAsync(cancellation))
        {
            var length = 0;
            while (frames.TryPeek(out var next) && (length == 0 || length + next.Length <= buffer.Length))
            {
                frames.TryRead(out var frame);
                if (frame!.Length > buffer.Length - length)
                {
                    await stream.WriteAsync(frame, cancellation);
                    continue;
                }
                frame.CopyTo(buffer, length);
                length += frame.Length;
            }
            if (length > 0) await stream.WriteAsync(buffer.AsMemory(0, length), cancellation);
        }
    }

    public static byte[] Proof(byte[] secret, ReadOnlySpan<byte> challenge, string nodeId) =>
        HMACSHA256.HashData(secret, (byte[])[.. challenge, .. Encoding.UTF8.GetBytes(nodeId)]);

    /// <summary>The accepting side: challenge, check the answer; returns the peer's node id or null (refused).</summary>
    public static async Task<string?> AcceptHandshakeAsync(NetworkStream stream, byte[] secret, CancellationToken cancellation)
    {
        var challenge = RandomNumberGenerator.GetBytes(16);
        await stream.WriteAsync(challenge, cancellation);
        var lengthBytes = new byte[4];
        await stream.ReadExactlyAsync(lengthBytes, cancellation);
        var idLength = BinaryPrimitives.ReadInt32LittleEndian(lengthBytes);
        if (idLength is < 1 or > 64) return null;
        var rest = new byte[idLength + 32];
        await stream.ReadExactlyAsync(rest, cancellation);
        var nodeId = Encoding.UTF8.GetString(rest, 0, idLength);
        var ok = CryptographicOperations.FixedTimeEquals(rest.AsSpan(idLength), Proof(secret, challenge, nodeId));
        await stream.WriteAsync(new[] { ok ? (byte)1 : (byte)0 }, cancellation);
        return ok ? nodeId : null;
    }

    /// <summary>The connecting side: answer the challenge; false when the peer refused us.</summary>
    public static async Task<bool> ConnectHandshakeAsync(NetworkStream stream, byte[] secret, string nodeId, CancellationToken cancellation)
    {
        var challenge = new byte[16];
        await stream.ReadExactlyAsync(challenge, cancellation);
        var id = Encoding.UTF8.GetBytes(nodeId);
        var answer = new byte[4 + id.Length + 32];
        BinaryPrimitives.WriteInt32LittleEndian(answer, id.Length);
        id.CopyTo(answer, 4);
        Proof(secret, challenge, nodeId).CopyTo(answer, 4 + id.Length);
        await stream.WriteAsync(answer, cancellation);
        var verdict = new byte[1];
        await stream.ReadExactlyAsync(verdict, cancellation);
        return verdict[0] == 1;
    }

    private static async Task<bool> ReadExactlyOrEndAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellation)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellation);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new EndOfStreamException("connection closed inside a frame");
            }
            read += n;
        }
        return true;
    }
}
