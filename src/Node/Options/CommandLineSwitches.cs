namespace AkkaExchange.Node.Options;

/// <summary>The node's short command-line switches and the settings they set.</summary>
public static class CommandLineSwitches
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["--data-dir"] = "Exchange:DataDirectory",
        ["--journal"] = "Exchange:Journal",
        ["--connection-string"] = "Exchange:ConnectionString",
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
        ["--member-keys"] = "Exchange:MemberKeysFile",
    };
}
