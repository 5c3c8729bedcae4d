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

    /// <summary>Throws <see cref="ArgumentException"/> for a refused switch.</summary>
    public static void Check(IEnumerable<string> args)
    {
        foreach (var a in args)
            if (Refused.TryGetValue(a.Split('=', 2)[0], out var why)) throw new ArgumentException(why);
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
        ["--cluster-certificate"] = "Exchange:ClusterCertificate",
        ["--downing-stable-after"] = "Exchange:DowningStableAfter",
        ["--broker-fee-bps"] = "Exchange:BrokerFeeBps",
        ["--exchange-fee-bps"] = "Exchange:ExchangeFeeBps",
        ["--reconciliation-interval"] = "Exchange:ReconciliationInterval",
        ["--settlement-drop-rate"] = "Exchange:SettlementDropRate",
        ["--settlement-poll"] = "Exchange:SettlementPoll",
        ["--member-keys"] = "Exchange:MemberKeysFile",
        ["--region"] = "Exchange:Region",
        ["--peer-regions"] = "Exchange:PeerRegions",
    };
}
