namespace AkkaExchange.Node.Options;

/// <summary>The node's short command-line switches and the settings they set.</summary>
public static class CommandLineSwitches
{
    /// <summary>
    /// Switches refused with a reason: a password on the command line is visible to every user of the host (ps,
    /// /proc/*/cmdline).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Refused = new Dictionary<string, string>
    {
        ["--connection-string"] = "--connection-string is not accepted (a password on the command line is visible to every user of the host): set Exchange__ConnectionString, or Exchange__ConnectionStringFile to a file holding it",
    };

    /// <summary>ASP.NET Core's own switches, which the node passes through.</summary>
    public static readonly IReadOnlyList<string> Host = ["--urls", "--environment", "--contentRoot", "--applicationName"];

    /// <summary>True when the arguments ask for the usage text.</summary>
    public static bool WantsHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for a refused switch or one the node does not know (a typo such as
    /// <c>--jounral</c> would otherwise be ignored and the node start with the default). A configuration path
    /// (<c>--Exchange:Name value</c>) is accepted as ASP.NET Core's command-line configuration takes it.
    /// </summary>
    public static void Check(IEnumerable<string> args)
    {
        foreach (var a in args.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            var name = a.Split('=', 2)[0];
            if (Refused.TryGetValue(name, out var why)) throw new ArgumentException(why);
            if (Map.ContainsKey(name) || Host.Contains(name) || name.Contains(':')) continue;
            var closest = Map.Keys.Concat(Host).MinBy(k => Distance(k, name))!;
            throw new ArgumentException($"unknown option {name}{(Distance(closest, name) <= 3 ? $" (did you mean {closest}?)" : "")}; --help lists them");
        }
    }

    /// <summary>The usage text: every switch and the setting it sets.</summary>
    public static string Usage() =>
        "usage: AkkaExchange.Node [--switch value]...\n" +
        "  --urls URL[;URL]         where the HTTP API listens (default http://127.0.0.1:5000)\n" +
        string.Join("\n", Map.Select(m => $"  {m.Key,-24} {m.Value}")) +
        "\nEach setting can also come from the environment (Exchange__Name) or appsettings.json; README, \"Options\".";

    private static int Distance(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) d[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = d[0];
            d[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return d[b.Length];
    }

    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["--data-dir"] = "Exchange:DataDirectory",
        ["--journal"] = "Exchange:Journal",
        ["--postgres-schema"] = "Exchange:PostgresSchema",
        ["--symbols"] = "Exchange:Symbols",
        ["--node-id"] = "Exchange:NodeId",
        ["--snapshot-interval"] = "Exchange:SnapshotInterval",
        ["--sqlite-synchronous"] = "Exchange:SqliteSynchronous",
        ["--cluster"] = "Exchange:Cluster",
        ["--shards"] = "Exchange:Shards",
        ["--lease-ttl"] = "Exchange:LeaseTtl",
        ["--advertise-url"] = "Exchange:AdvertiseUrl",
        ["--transport-port"] = "Exchange:TransportPort",
        ["--seed-contacts"] = "Exchange:SeedContacts",
        ["--discovery"] = "Exchange:Discovery",
        ["--bootstrap-contact-points"] = "Exchange:BootstrapContactPoints",
        ["--kubernetes-pod-selector"] = "Exchange:KubernetesPodSelector",
        ["--kubernetes-namespace"] = "Exchange:KubernetesNamespace",
        ["--kubernetes-token-path"] = "Exchange:KubernetesTokenPath",
        ["--kubernetes-ca-path"] = "Exchange:KubernetesCaPath",
        ["--cluster-certificate"] = "Exchange:ClusterCertificate",
        ["--downing-stable-after"] = "Exchange:DowningStableAfter",
        ["--broker-fee-bps"] = "Exchange:BrokerFeeBps",
        ["--exchange-fee-bps"] = "Exchange:ExchangeFeeBps",
        ["--reconciliation-interval"] = "Exchange:ReconciliationInterval",
        ["--settlement-drop-rate"] = "Exchange:SettlementDropRate",
        ["--settlement-poll"] = "Exchange:SettlementPoll",
        ["--member-keys"] = "Exchange:MemberKeysFile",
        ["--region"] = "Exchange:Region",
        ["--backup-dir"] = "Exchange:BackupDirectory",
        ["--backup-key-file"] = "Exchange:BackupKeyFile",
        ["--backup-copy-dir"] = "Exchange:BackupCopyDirectory",
        ["--backup-interval"] = "Exchange:BackupInterval",
        ["--backup-keep-hourly"] = "Exchange:BackupKeepHourly",
        ["--backup-keep-daily"] = "Exchange:BackupKeepDaily",
        ["--postgres-bin-dir"] = "Exchange:PostgresBinDirectory",
        ["--peer-regions"] = "Exchange:PeerRegions",
    };
}
