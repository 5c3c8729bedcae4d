using System.Net;
using System.Net.Sockets;
using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Node.Options;
using AkkaExchange.Node.Security;

namespace AkkaExchange.Node.Hosting;

/// <summary>
/// What the node derives once at start-up from its validated <see cref="ExchangeOptions"/> and host configuration:
/// where it is reached (HTTP, Akka.Remote), the listed instruments and their shards, and its presence key.
/// </summary>
public sealed class NodeSettings
{
    public NodeSettings(ExchangeOptions options, IConfiguration configuration)
    {
        Options = options;
        AdvertiseUrl = (options.AdvertiseUrl ?? configuration["urls"]?.Split(';')[0] ?? NodeComposition.DefaultUrl).TrimEnd('/');
        var url = new Uri(AdvertiseUrl);
        RemoteHost = url.Host;
        // Embedded, Akka.Remote only serves this process's one-node cluster: any free loopback port will do.
        RemotePort = options.TransportPort != 0 ? options.TransportPort : options.Cluster ? url.Port + 1000 : FreeLoopbackPort();
        Instruments = options.SymbolList()
            .Select(s => new InstrumentSpec(s, options.TickSize, options.LotSize, 1, options.MaxQuantity))
            .ToDictionary(i => i.Symbol, StringComparer.Ordinal);
        Shards = new ShardMap(options.Shards);
        PresenceKey = Random.Shared.Next(1, int.MaxValue);
        PeerRegions = (options.PeerRegions ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Select(p => (p[0], p[1].TrimEnd('/'))).ToArray();
        DataDirectory = Path.GetFullPath(options.DataDirectory);
        Members = options.MemberKeysFile is { Length: > 0 } keys ? MemberKeys.Load(keys) : MemberKeys.Open;
        if (Members.IsOpen)
        {
            // An open node trades for anyone who reaches it: only this host may.
            var exposed = (configuration["urls"] ?? NodeComposition.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Where(u => !IsLoopback(u)).ToArray();
            if (exposed.Length > 0)
                throw new InvalidOperationException(
                    $"refusing to listen on {string.Join(", ", exposed)} without member keys: give --member-keys <file> (see README, Security), or listen on 127.0.0.1");
        }
    }

    /// <summary>The other regions' nodes (<see cref="ExchangeOptions.PeerRegions"/>), one entry per node.</summary>
    public IReadOnlyList<(string Region, string Url)> PeerRegions { get; }

    /// <summary>The members' keys; <see cref="MemberKeys.Open"/> when none are configured.</summary>
    public MemberKeys Members { get; }

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards (http://*:5000, http://+:5000) do not parse as a URI host: they are not loopback.
        var host = url.Split("://", 2) is [_, var rest] ? rest.Split('/')[0] : url;
        host = host.StartsWith('[') ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        return host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    public ExchangeOptions Options { get; }

    /// <summary>How other nodes and tools reach this node's HTTP API.</summary>
    public string AdvertiseUrl { get; }

    public string RemoteHost { get; }

    public int RemotePort { get; }

    /// <summary>Akka's name of this node as a lease owner: its remote address's <c>HostPort()</c>, system@host:port.</summary>
    public string LeaseOwner => $"{AkkaComposition.SystemName}@{RemoteHost}:{RemotePort}";

    public IReadOnlyDictionary<string, InstrumentSpec> Instruments { get; }

    public ShardMap Shards { get; }

    /// <summary>This process's presence lock key (cluster mode; see <see cref="Cluster.LeaseKeeper"/>).</summary>
    public int PresenceKey { get; }

    public string DataDirectory { get; }

    public string JournalPath => Path.Combine(DataDirectory, "journal.db");

    public string LedgerPath => Path.Combine(DataDirectory, "ledger.db");

    /// <summary>The cluster role that names this node.</summary>
    public static string NodeRole(string nodeId) => NodeRolePrefix + nodeId;

    /// <summary>The cluster role that tells this node's HTTP address.</summary>
    public static string ApiRole(string url) => ApiRolePrefix + url;

    public const string NodeRolePrefix = "node:", ApiRolePrefix = "api:";

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
