using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AkkaExchange.Backup;

/// <summary>
/// A file encrypted with AES-256-GCM in chunks of at most 1 MiB, so that files of any size stream through in bounded
/// memory: a header (<c>AKXB</c>, version 1, an 8-byte random nonce prefix), then per chunk its length, ciphertext and
/// tag. Each chunk's nonce is the prefix and its index; its associated data names the backup, the file, the index and
/// whether it is the last — so chunks cannot be reordered, moved between files or backups, or cut off at the end.
/// </summary>
internal static class FileCipher
{
    private const int ChunkBytes = 1 << 20;
    private const int TagBytes = 16;
    private static ReadOnlySpan<byte> Magic => "AKXB"u8;

    /// <summary>Encrypts <paramref name="source"/> into <paramref name="target"/>; returns the plaintext's length and SHA-256.</summary>
    public static async Task<(long Bytes, string Sha256)> EncryptAsync(BackupKey key, string context, Stream source, Stream target, CancellationToken cancellation)
    {
        using var aes = new AesGcm(key.Bytes, TagBytes);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var prefix = RandomNumberGenerator.GetBytes(8);
        await target.WriteAsync(Magic.ToArray(), cancellation);
        target.WriteByte(1);
        await target.WriteAsync(prefix, cancellation);
        var plain = new byte[ChunkBytes];
        var next = new byte[ChunkBytes];
        var cipher = new byte[ChunkBytes];
        var tag = new byte[TagBytes];
        var length = new byte[4];
        long total = 0;
        var count = await FillAsync(source, plain, cancellation);
        for (uint index = 0; ; index++)
        {
            // Read ahead one chunk: the last chunk must know it is the last.
            var nextCount = count == ChunkBytes ? await FillAsync(source, next, cancellation) : 0;
            var final = nextCount == 0;
            aes.Encrypt(Nonce(prefix, index), plain.AsSpan(0, count), cipher.AsSpan(0, count), tag, Associated(context, index, final));
            BinaryPrimitives.WriteInt32LittleEndian(length, count);
            await target.WriteAsync(length, cancellation);
            await target.WriteAsync(cipher.AsMemory(0, count), cancellation);
            await target.WriteAsync(tag, cancellation);
            sha.AppendData(plain, 0, count);
            total += count;
            if (final) break;
            (plain, next) = (next, plain);
            count = nextCount;
        }
        return (total, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>Decrypts into <paramref name="target"/> (may be <see cref="Stream.Null"/>); refuses anything that fails authentication.</summary>
    public static async Task<(long Bytes, string Sha256)> DecryptAsync(BackupKey key, string context, Stream source, Stream target, CancellationToken cancellation)
    {
        using var aes = new AesGcm(key.Bytes, TagBytes);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var header = new byte[13];
        if (await FillAsync(source, header, cancellation) != header.Length || !header.AsSpan(0, 4).SequenceEqual(Magic) || header[4] != 1)
            throw new BackupException($"{context}: not an AkkaExchange backup file");
        var prefix = header[5..];
        var cipher = new byte[ChunkBytes];
        var plain = new byte[ChunkBytes];
        var tag = new byte[TagBytes];
        var length = new byte[4];
        long total = 0;
        for (uint index = 0; ; index++)
        {
            if (await FillAsync(source, length, cancellation) != 4) throw new BackupException($"{context}: cut off before its last chunk");
            var count = BinaryPrimitives.ReadInt32LittleEndian(length);
            if (count is < 0 or > ChunkBytes) throw new BackupException($"{context}: chunk {index} has a bad length");
            if (await FillAsync(source, cipher.AsMemory(0, count), cancellation) != count || await FillAsync(source, tag, cancellation) != TagBytes)
                throw new BackupException($"{context}: cut off in chunk {index}");
            // The last chunk is the one whose associated data says so; which it is, only authentication tells.
            var final = TryDecrypt(aes, prefix, index, true, context, cipher, plain, count, tag);
            if (!final && !TryDecrypt(aes, prefix, index, false, context, cipher, plain, count, tag))
                throw new BackupException($"{context}: chunk {index} fails authentication (tampered, or another key)");
            await target.WriteAsync(plain.AsMemory(0, count), cancellation);
            sha.AppendData(plain, 0, count);
            total += count;
            if (final)
            {
                if (source.ReadByte() != -1) throw new BackupException($"{context}: bytes after its last chunk");
                return (total, Convert.ToHexStringLower(sha.GetHashAndReset()));
            }
        }
    }

    /// <summary>A tag over <paramref name="data"/> alone (GMAC: AES-GCM of nothing): 12-byte nonce then 16-byte tag.</summary>
    public static byte[] Sign(BackupKey key, string context, byte[] data)
    {
        using var aes = new AesGcm(key.Bytes, TagBytes);
        var result = new byte[12 + TagBytes];
        RandomNumberGenerator.Fill(result.AsSpan(0, 12));
        aes.Encrypt(result.AsSpan(0, 12), [], [], result.AsSpan(12), Associated(context, data));
        return result;
    }

    public static bool Verify(BackupKey key, string context, byte[] data, byte[] signature)
    {
        if (signature.Length != 12 + TagBytes) return false;
        using var aes = new AesGcm(key.Bytes, TagBytes);
        try
        {
            aes.Decrypt(signature.AsSpan(0, 12), [], signature.AsSpan(12), [], Associated(context, data));
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private static bool TryDecrypt(AesGcm aes, byte[] prefix, uint index, bool final, string context, byte[] cipher, byte[] plain, int count, byte[] tag)
    {
        try
        {
            aes.Decrypt(Nonce(prefix, index), cipher.AsSpan(0, count), tag, plain.AsSpan(0, count), Associated(context, index, final));
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private static byte[] Nonce(byte[] prefix, uint index)
    {
        var nonce = new byte[12];
        prefix.CopyTo(nonce, 0);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), index);
        return nonce;
    }

    private static byte[] Associated(string context, uint index, bool final) => Encoding.UTF8.GetBytes($"{context}\n{index}\n{(final ? 1 : 0)}");

    private static byte[] Associated(string context, byte[] data) => [.. Encoding.UTF8.GetBytes(context + "\n"), .. data];

    private static async Task<int> FillAsync(Stream source, Memory<byte> buffer, CancellationToken cancellation)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = await source.ReadAsync(buffer[filled..], cancellation);
            if (n == 0) break;
            filled += n;
        }
        return filled;
    }
}
