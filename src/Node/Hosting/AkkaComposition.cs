using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Dsl;
using Akka.Remote.Hosting;
using AkkaExchange.Actors.Settlement;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Node.Cluster;
using AkkaExchange.Node.Regions;
using AkkaExchange.Node.Settlement;

namespace AkkaExchange.Node.Hosting;

/// <summary>
/// The node's actor system, on Akka.Hosting: Akka.Remote with mutual TLS, Akka.Cluster (an embedded node is a one-node
/// cluster that joins itself; cluster nodes bootstrap through discovery), the symbols as a shard region of persistent
/// entities, settlement and reconciliation as cluster singletons, market data on DistributedPubSub, the PostgreSQL
/// leases and presence downing in cluster mode, and Akka's own health checks.
/// </summary>
public static class AkkaComposition
{
    public const string SystemName = "akkaexchange";
    public const string LivenessTag = "live", ReadinessTag = "ready";

    public static IServiceCollection AddExchangeActors(this IServiceCollection services) =>
        services.AddAkka(SystemName, (builder, provider) => Configure(builder, provider));

    private static void Configure(AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        var s = provider.GetRequiredService<NodeSettings>();
        var o = s.Options;
        var regionGate = provider.GetRequiredService<RegionGate>();
        var certificate = o.Cluster ? ClusterTls.Load(o.ClusterCertificate!, o.ClusterCertificatePassword) : ClusterTls.Ephemeral();
        builder
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .AddHocon(ExchangeHocon.Build(s), HoconAddMode.Prepend)
            .AddHocon(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration, HoconAddMode.Append)
            .AddSetup(PersistenceSetup.Create(s))
            .WithRemoting(new RemoteOptions
            {
                HostName = s.RemoteHost,
                PublicHostName = s.RemoteHost,
                Port = s.RemotePort,
                EnableSsl = true,
                Ssl = new SslOptions
                {
                    X509Certificate = certificate,
                    SuppressValidation = false,
                    RequireMutualAuthentication = true,
                    CustomValidator = ClusterTls.PinnedTo(certificate),
                },
            })
            // Roles (with this node's id and HTTP address) are in ExchangeHocon: Akka.Hosting writes them unquoted.
            .WithClustering(new ClusterOptions())
            .WithDistributedPubSub(role: null!)
            .WithShardRegion<SymbolRegion>(SymbolRegion.TypeName,
                (system, _, _) => symbol => SymbolEntity.Props(s.Instruments[symbol],
                    new SymbolSettings(o.SnapshotInterval, o.RetainedDoneOrders), DistributedPubSub.Get(system).Mediator, TimeProvider.System),
                new SymbolMessageExtractor(s.Shards, s.Instruments.Keys.ToHashSet(StringComparer.Ordinal)),
                new ShardOptions
                {
                    // The symbols are a fixed list: SymbolKeeper starts them, no remembered-entities store to read.
                    RememberEntities = false,
                    StateStoreMode = StateStoreMode.DData,
                    HandOffStopMessage = StopSymbol.Instance,
                    ShouldPassivateIdleEntities = false,
                    LeaseImplementation = o.Cluster ? PostgresLeaseOption.Instance : null,
                    LeaseRetryInterval = o.Cluster ? TimeSpan.FromMilliseconds(300) : null,
                })
            .WithSingleton<SettlementSingleton>(SettlementSingleton.Name, (system, _, _) =>
                    SettlementProjection.Props(provider.GetRequiredService<SettlementStore>(), Journal(system),
                        s.Instruments.Keys.Select(SymbolEntity.PersistenceIdOf).ToArray(), Fees(o), Fence(s, SettlementSingleton.Name),
                        SettlementSettings.Default with { DropRate = o.SettlementDropRate }),
                Singleton(o), false)
            .WithSingleton<ReconciliationSingleton>(ReconciliationSingleton.Name, (system, _, _) =>
                    ReconciliationActor.Props(provider.GetRequiredService<SettlementStore>(), Journal(system), Fees(o), Fence(s, ReconciliationSingleton.Name),
                        ReconciliationSettings.Default with { Interval = o.ReconciliationInterval }),
                Singleton(o), false)
            .WithActors((system, registry) =>
            {
                system.ActorOf(provider.GetRequiredService<LocalSymbols>().TrackerProps(), "local-symbols");
                system.ActorOf(SymbolKeeper.Props(registry.Get<SymbolRegion>(), s.Instruments.Keys.ToArray(), TimeSpan.FromSeconds(1),
                    () => regionGate.AcceptsOrders), "symbol-keeper");
            })
            .WithActorSystemLivenessCheck(tags: [LivenessTag])
            .WithAkkaClusterReadinessCheck(tags: [ReadinessTag]);
        if (o.Cluster)
        {
            builder
                .AddHocon(ExchangeHocon.Bootstrap(s), HoconAddMode.Prepend)
                .AddSetup(new LeaseKeeperSetup(o.ConnectionString!, o.PostgresSchema, s.PresenceKey, o.LeaseTtl, o.RenewInterval,
                    () => regionGate.AcceptsOrders))
                .AddStartup((system, registry) =>
                {
                    system.ActorOf(PresenceDowning.Props(o.NodeId, o.RenewInterval, () => regionGate.AcceptsOrders), "presence-downing");
                    var bootstrap = ClusterBootstrap.Get(system);
                    // Our HTTP server serves the bootstrap route (SeedNodesEndpoint); this tells bootstrap where that is.
                    bootstrap.Routes(ManagementRouteProviderSettings.Create(new Uri(s.AdvertiseUrl + "/"), readOnly: true));
                    // Join warm: shards rebalanced onto a node that has never read its journal wait for that first read.
                    var warmUp = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                    system.ActorOf(JournalWarmUp.Props(SymbolEntity.PersistenceIdOf(s.Instruments.Keys.First()), warmUp), "journal-warm-up");
                    _ = Task.WhenAny(warmUp.Task, Task.Delay(TimeSpan.FromSeconds(30))).ContinueWith(_ => bootstrap.Start(), TaskScheduler.Default);
                });
        }
        else
        {
            builder.AddStartup((system, _) => Akka.Cluster.Cluster.Get(system).Join(Akka.Cluster.Cluster.Get(system).SelfAddress));
        }
    }

    private static JournalTrades Journal(ActorSystem system) => new(system, "akka.persistence.query.journal.sql");

    private static FeeSchedule Fees(Options.ExchangeOptions o) => new(o.BrokerFeeBps, o.ExchangeFeeBps);

    private static ClusterSingletonOptions Singleton(Options.ExchangeOptions o) => new()
    {
        LeaseImplementation = o.Cluster ? PostgresLeaseOption.Instance : null,
        LeaseRetryInterval = o.Cluster ? TimeSpan.FromMilliseconds(300) : null,
    };

    /// <summary>In a cluster, a singleton's ledger writes prove the lease its manager took (Akka names it after the manager's path).</summary>
    private static ILedgerFence? Fence(NodeSettings s, string singleton) =>
        s.Options.Cluster ? new SingletonLeaseFence($"{SystemName}-singleton-akka://{SystemName}/user/{singleton}", s.LeaseOwner, s.PresenceKey) : null;
}
