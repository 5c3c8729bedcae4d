namespace AkkaExchange.LoadTest;

/// <summary>
/// The members' API keys for a run against a node with member keys (<c>--keys-file</c>): lines <c>MEMBER KEY</c>,
/// <c>#</c> starts a comment. Each simulated broker <c>BD000</c>… trades with its own key, as a real member would;
/// keys come from a file, never from the command line (which every user of the host can read).
/// </summary>
public static class MemberKeyFile
{
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"--keys-file: {path} does not exist");
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Split('#', 2)[0].Trim();
            if (line.Length == 0) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2) throw new ArgumentException($"{path}:{number}: expected 'MEMBER KEY'");
            keys[parts[0]] = parts[1];
        }
        return keys;
    }

    /// <summary>The member of an account: what precedes its first '-' (<c>BD017-C001</c> → <c>BD017</c>).</summary>
    public static string MemberOf(string account) => account.Split('-', 2)[0];

    /// <summary>Each broker's key, in broker order; throws naming the first broker without one.</summary>
    public static string[] ForBrokers(IReadOnlyDictionary<string, string> keys, int brokers) =>
        Enumerable.Range(0, brokers).Select(b =>
        {
            var member = MemberOf(CustomerActor.AccountOf(b, 0));
            return keys.TryGetValue(member, out var key) ? key : throw new ArgumentException($"--keys-file has no key for member {member}");
        }).ToArray();
}
