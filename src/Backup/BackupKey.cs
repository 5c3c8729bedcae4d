using System.Security.Cryptography;

namespace AkkaExchange.Backup;

/// <summary>The 256-bit key backups are encrypted with, read from a file holding it in base64 (a mounted secret).</summary>
public sealed class BackupKey
{
    private BackupKey(byte[] bytes) => Bytes = bytes;

    internal byte[] Bytes { get; }

    /// <summary>Reads the key; a file that does not hold 32 bytes in base64 is refused with the reason.</summary>
    public static BackupKey Load(string path)
    {
        if (!File.Exists(path)) throw new BackupException($"backup key file {path} does not exist");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new BackupException($"backup key file {path} does not hold base64 (make one with: head -c 32 /dev/urandom | base64 > {path})");
        }
        return bytes.Length == 32 ? new BackupKey(bytes) : throw new BackupException($"backup key file {path} holds {bytes.Length} bytes; a key is 32");
    }

    /// <summary>A new random key in the file's format (base64).</summary>
    public static string NewKeyText() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
