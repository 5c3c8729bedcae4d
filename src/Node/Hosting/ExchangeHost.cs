using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Domain.Settlement;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Persistence.Settlement;
using AkkaExchange.Actors.Settlement;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Node.Cluster;
using AkkaExchange.Node.MarketData;
using AkkaExchange.Node.Options;
using Microsoft.Extensions.Options;

namespace AkkaExchange.Node.Hosting;

/// <summary>
/// Runs the node's <see cref="LocalExchange"/>. Embedded: recovery of every symbol starts with the host (the node
/// answers <c>/health/live</c> at once and <c>/health/ready</c> when every symbol has recovered). Cluster mode: the
/// node opens the journal, joins, and its <see cref="ShardCoordinator"/> takes and serves its share of shards.
/// Stopping the host (SIGTERM) hands the shards over (cluster), drains the actors and commits what they hold
/// before the journal closes. Settlement and reconciliation run as cluster singletons in a cluster and as one
/// actor each on an embedded node, over the ledger in the journal's database (<see cref="Ledger"/>).
/// </summary>
public sealed class ExchangeHost : IHostedService
{
    private readonly ILogger<ExchangeHost> _log;
    private readonly ILoggerFactory _loggers;
    private readonly CancellationTokenSource _stopping = new();
    private Task _recovery = Task.CompletedTask;

    private readonly MarketDataHub _hub;
    /// <summary>Cluster mode: brings other nodes' market data to this node's sessions.</summary>
    public RemoteMarketData? RemoteMarketData { get; private set; }

    public ExchangeHost(IOptions<ExchangeOptions> options, MarketDataHub hub, IConfiguration configuration, ILoggerFactory loggers, ILogger<ExchangeHost> log)
    {
        _log = log;
        _hub = hub;
        _loggers = loggers;
        var o = options.Value;
        Options = o;
        AdvertiseUrl = o.AdvertiseUrl ?? configuration["urls"]?.Split(';')[0] ?? NodeComposition.DefaultUrl;
        var instruments = o.SymbolList().Select(s => new InstrumentSpec(s, o.TickSize, o.LotSize, 1, o.MaxQuantity)).ToArray();
        Exchange = new LocalExchange(CreateJournal(o), instruments,
            new SymbolActorSettings(o.NodeId, o.SnapshotInterval, o.RetainedDoneOrders), hub, TimeProvider.System, loggers, new ShardMap(o.Shards));
        _postgres = o.Journal == "postgres" ? new PostgresJournalOptions(o.ConnectionString!, o.PostgresSchema) : null;
        Ledger = _postgres is { } ledger
            ? new PostgresSettlementStore(ledger)
            : new SqliteSettlementStore(Path.Combine(Path.GetFullPath(o.DataDirectory), "ledger.db"), JournalPath(o));
        Fees = new FeeSchedule(o.BrokerFeeBps, o.ExchangeFeeBps);
        if (o.Cluster)
        {
            // Cluster mode is validated to run on the postgres journal.
            var pg = _postgres!;
            Leases = new PostgresShardLeases(pg);
            Members = new PostgresMembership(pg);
            SingletonLeases = new PostgresSingletonLeases(pg);
        }
    }

    public LocalExchange Exchange { get; }
    public ExchangeOptions Options { get; }
    public string AdvertiseUrl { get; }

    /// <summary>Cluster mode only: the shard table, the membership, this node's coordinator and its transport.</summary>
    public PostgresShardLeases? Leases { get; }
    public PostgresMembership? Members { get; }
    public PostgresSingletonLeases? SingletonLeases { get; }
    public SingletonHost? Singletons { get; private set; }

    /// <summary>The settlement ledger (accounts, notices, reconciliation audit), in the journal's database.</summary>
    public SettlementStore Ledger { get; }
    public FeeSchedule Fees { get; }

    /// <summary>Where the journal, ledger, leases and membership live with the postgres journal; null with SQLite.</summary>
    private readonly PostgresJournalOptions? _postgres;

    /// <summary>Embedded mode: the settlement and reconciliation actors (in a cluster they are singletons).</summary>
    private ActorSystem? _settlementSystem;

    public const string SettlementSingleton = "settlement";
    public const string ReconciliationSingleton = "reconciliation";

    /// <summary>The singletons every node of this build offers to run; the cluster runs one instance of each.</summary>
    private IReadOnlyList<ClusterSingleton> SingletonDefinitions() =>
    [
        new(ProbeSingleton.Name, token => new ProbeSingleton(token)),
        new(SettlementSingleton, token => SettlementFor(token)),
        new(ReconciliationSingleton, token => ReconciliationFor(token)),
    ];

    private SettlementActor SettlementFor(SingletonToken? fence) =>
        new(Ledger, Fees, fence, SettlementSettings.Default with { DropRate = Options.SettlementDropRate }, _loggers.CreateLogger<SettlementActor>());

    private ReconciliationActor ReconciliationFor(SingletonToken? fence) =>
        new(Ledger, Fees, fence, ReconciliationSettings.Default with { Interval = Options.ReconciliationInterval }, _loggers.CreateLogger<ReconciliationActor>());
    public ShardCoordinator? Coordinator { get; private set; }
    public AkkaExchange.Node.Transport.PeerTransport? Peers { get; private set; }
    private AkkaExchange.Node.Transport.TransportServer? _transport;

    /// <summary>The transport endpoint: the advertised host, the configured port (or the HTTP port + 1000).</summary>
    private System.Net.IPEndPoint TransportEndPoint()
    {
        var url = new Uri(AdvertiseUrl);
        var host = System.Net.IPAddress.TryParse(url.Host, out var ip) ? ip : System.Net.IPAddress.Loopback;
        return new System.Net.IPEndPoint(host, Options.TransportPort != 0 ? Options.TransportPort : url.Port + 1000);
    }

    public static IJournal CreateJournal(ExchangeOptions o) => o.Journal switch
    {
        "postgres" => new PostgresJournal(new PostgresJournalOptions(o.ConnectionString!, o.PostgresSchema)),
        _ => new SqliteJournal(new SqliteJournalOptions(JournalPath(o), o.SqliteSynchronous)),
    };

    private static string JournalPath(ExchangeOptions o) => Path.Combine(Path.GetFullPath(o.DataDirectory), "journal.db");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _log.LogInformation("node {Node}: {Symbols} symbols, journal {Journal}, data directory {Dir}",
            Options.NodeId, Exchange.Instruments.Count, Exchange.Journal.Name, Path.GetFullPath(Options.DataDirectory));
        _recovery = Task.Run(async () =>
        {
            var started = DateTime.UtcNow;
            if (Options.Cluster)
            {
                await Exchange.StartAsync(_stopping.Token, hostAllShards: false);
                await Ledger.InitializeAsync(Exchange.Instruments.Keys, _stopping.Token);
                var secret = System.Text.Encoding.UTF8.GetBytes(Options.ClusterSecret!);
                // Forwarded requests are answered from this node's own symbols only: never forwarded again.
                _transport = new AkkaExchange.Node.Transport.TransportServer(TransportEndPoint(), secret,
                    (request, ct) => Exchange.AskAsync(request, Options.RequestTimeout, ct), _loggers.CreateLogger<AkkaExchange.Node.Transport.TransportServer>(),
                    symbols => _hub.Subscribe(symbols), symbol => Exchange.HostedShards.ContainsKey(Exchange.Shards.ShardOf(symbol)));
                _transport.Start();
                Peers = new AkkaExchange.Node.Transport.PeerTransport(secret, Options.NodeId, _hub.Publish);
                var transportAddress = $"{_transport.EndPoint.Address}:{_transport.EndPoint.Port}";
                Singletons = new SingletonHost(SingletonDefinitions(), SingletonLeases!, Options.NodeId, Options.LeaseTtl, _loggers.CreateLogger<SingletonHost>());
                Coordinator = new ShardCoordinator(Options, Exchange, Leases!, Members!,
                    new PostgresPresence(_postgres!), AdvertiseUrl, transportAddress, Singletons,
                    _loggers.CreateLogger<ShardCoordinator>());
                await Coordinator.StartAsync(_stopping.Token);
                RemoteMarketData = new RemoteMarketData(_hub, Exchange, Coordinator, Peers, Options.RenewInterval, _loggers.CreateLogger<RemoteMarketData>());
                RemoteMarketData.Start();
                _log.LogInformation("joined the cluster as {Node} ({Url}); {Shards} shards", Options.NodeId, AdvertiseUrl, Options.Shards);
                return;
            }
            await Exchange.StartAsync(_stopping.Token);
            await Ledger.InitializeAsync(Exchange.Instruments.Keys, _stopping.Token);
            _settlementSystem = new ActorSystem(_loggers);
            _settlementSystem.Spawn(SettlementSingleton, () => SettlementFor(null));
            _settlementSystem.Spawn(ReconciliationSingleton, () => ReconciliationFor(null));
            _log.LogInformation("ready: {Symbols} symbols recovered in {Ms} ms ({Events} events replayed, {Snapshots} snapshots)",
                Exchange.Instruments.Count, (long)(DateTime.UtcNow - started).TotalMilliseconds, RecoveryStats.EventsReplayed, RecoveryStats.SnapshotsLoaded);
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (RemoteMarketData is not null) await RemoteMarketData.DisposeAsync();
        if (Coordinator is not null)
        {
            await Coordinator.LeaveAsync();
            await Coordinator.DisposeAsync();
        }
        if (Singletons is not null) await Singletons.DisposeAsync();
        if (_settlementSystem is not null) await _settlementSystem.DisposeAsync();
        if (SingletonLeases is not null) await SingletonLeases.DisposeAsync();
        if (_transport is not null) await _transport.DisposeAsync();
        if (Peers is not null) await Peers.DisposeAsync();
        await _stopping.CancelAsync();
        try
        {
            await _recovery;
        }
        catch (OperationCanceledException)
        {
        }
        await Exchange.DisposeAsync();
        if (Leases is not null) await Leases.DisposeAsync();
        if (Members is not null) await Members.DisposeAsync();
        await Ledger.DisposeAsync();
        _log.LogInformation("stopped: mailboxes drained, journal flushed and closed");
    }
}
