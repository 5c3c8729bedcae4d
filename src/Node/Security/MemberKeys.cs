using System.Security.Cryptography;
using System.Text;
using AkkaExchange.Actors.Settlement.Domain;

namespace AkkaExchange.Node.Security;

/// <summary>
/// The members' API keys, hashed at rest: a file (<c>--member-keys</c>, or a mounted secret) of lines
/// <c>MEMBER sha256:HEX</c>, HEX the SHA-256 of the member's key (<c>printf %s "$KEY" | sha256sum</c>); <c>#</c>
/// starts a comment. A request proves it is a member with <c>Authorization: Bearer KEY</c>; the member owns the
/// accounts whose broker is the member (<c>BD017</c> and <c>BD017-*</c>). Keys are random tokens of at least 128
/// bits, so one SHA-256 is enough (no key stretching needed), and a lookup by the hash of what was presented leaks
/// nothing usable about a key through its timing. With no file the node is open (loopback only).
/// </summary>
public sealed class MemberKeys
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
    private readonly Dictionary<string, string> _memberByHash;

    private MemberKeys(Dictionary<string, string> memberByHash) => _memberByHash = memberByHash;

    /// <summary>No keys: every request acts for any account (allowed on loopback only).</summary>
    public static MemberKeys Open { get; } = new(new Dictionary<string, string>());

    public bool IsOpen => _memberByHash.Count == 0;

    /// <summary>Reads a keys file; throws <see cref="InvalidOperationException"/> naming the line that is wrong.</summary>
    public static MemberKeys Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"member keys file {path} does not exist");
        var byHash = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !IsMemberId(parts[0]) || !parts[1].StartsWith("sha256:", StringComparison.Ordinal)
                || parts[1].Length != 7 + 64 || parts[1].AsSpan(7).ContainsAnyExcept(HexDigits))
                throw new InvalidOperationException($"{path}:{number}: expected 'MEMBER sha256:<64 hex digits>' (MEMBER: 1-16 letters or digits)");
            if (!byHash.TryAdd(parts[1][7..].ToLowerInvariant(), parts[0]))
                throw new InvalidOperationException($"{path}:{number}: this key hash is already given to another member");
        }
        if (byHash.Count == 0) throw new InvalidOperationException($"member keys file {path} lists no member");
        return new MemberKeys(byHash);
    }

    /// <summary>The member an <c>Authorization</c> header proves, or null.</summary>
    public string? Authenticate(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var key = authorization.AsSpan(scheme.Length).Trim();
        if (key.IsEmpty || key.Length > 512) return null;
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(key, utf8)], hash);
        return _memberByHash.GetValueOrDefault(Convert.ToHexStringLower(hash));
    }

    /// <summary>Whether <paramref name="member"/> may act for <paramref name="account"/>.</summary>
    public static bool Owns(string member, string account) => string.Equals(Accounts.BrokerOf(account), member, StringComparison.Ordinal);

    private static bool IsMemberId(string s) => s.Length is > 0 and <= 16 && s.All(char.IsAsciiLetterOrDigit);
}
