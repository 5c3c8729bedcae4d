using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Node.Api;
using AkkaExchange.Node.Backup;
using AkkaExchange.Node.Cluster;
using AkkaExchange.Node.Dashboard;
using AkkaExchange.Node.MarketData;
using AkkaExchange.Node.Options;
using AkkaExchange.Node.Regions;
using AkkaExchange.Node.Settlement;
using AkkaExchange.Node.Telemetry;
using Microsoft.Extensions.Options;
using Prometheus;

namespace AkkaExchange.Node.Hosting;

/// <summary>How a node is put together: its services, its defaults, its endpoints.</summary>
public static class NodeComposition
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>
    /// Runs a node from its command line. Returns 0 after a clean stop, 0 after printing the usage (<c>--help</c>), and 2
    /// with the reason on one line when the command line or a setting is wrong — never a stack trace for a mistake.
    /// </summary>
    public static int Run(string[] args)
    {
        if (CommandLineSwitches.WantsHelp(args))
        {
            Console.WriteLine(CommandLineSwitches.Usage());
            return 0;
        }
        WebApplication app;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = args,
                // The node finds its own files wherever it is started from; data paths stay relative to the caller.
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.AddExchangeNode(args);
            app = builder.Build();
            app.MapExchangeNode();
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (Mistake(e) is { } reason)
        {
            Console.Error.WriteLine($"akkaexchange: {reason}");
            return 2;
        }
        app.WaitForShutdown();
        return 0;
    }

    /// <summary>The reason, when a start-up failure is the operator's mistake rather than a fault.</summary>
    private static string? Mistake(Exception e) => e switch
    {
        ArgumentException a => a.Message,
        OptionsValidationException v => string.Join("; ", v.Failures),
        DataDirectoryInUseException d => d.Message,
        // The configuration binder's words for a value of the wrong type (--shards abc).
        InvalidOperationException { Message: var m } when m.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => m,
        _ => null,
    };

    public static WebApplicationBuilder AddExchangeNode(this WebApplicationBuilder builder, string[] args)
    {
        CommandLineSwitches.Check(args);
        builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map.ToDictionary());
        // Loopback unless the operator says otherwise (--urls or ASPNETCORE_URLS).
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        var services = builder.Services;
        services.AddOptions<ExchangeOptions>()
            .Bind(builder.Configuration.GetSection(ExchangeOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrEmpty(o.ConnectionString) && o.ConnectionStringFile is { Length: > 0 } file && File.Exists(file))
                    o.ConnectionString = File.ReadAllText(file).Trim();
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new NodeSettings(sp.GetRequiredService<IOptions<ExchangeOptions>>().Value, sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<SettlementStore>(sp =>
        {
            var s = sp.GetRequiredService<NodeSettings>();
            return s.Options.Journal == "postgres"
                ? new PostgresSettlementStore(s.Options.ConnectionString!, s.Options.PostgresSchema)
                : new SqliteSettlementStore(s.LedgerPath);
        });
        services.AddSingleton<DataDirectoryLock>();
        // Registered first: the databases are ready before the actor system starts.
        services.AddHostedService<SchemaInitializer>();
        services.AddSingleton(sp =>
        {
            var s = sp.GetRequiredService<NodeSettings>();
            return new RegionGate(s.Options.Region, s.PeerRegions);
        });
        if (builder.Configuration.GetSection(ExchangeOptions.Section)["Region"] is { Length: > 0 })
        {
            services.AddSingleton<RegionMonitor>();
            services.AddHostedService(sp => sp.GetRequiredService<RegionMonitor>());
        }
        services.AddSingleton<LocalSymbols>();
        services.AddExchangeActors();
        services.AddSingleton<ExchangeReadiness>();
        services.AddHostedService(sp => sp.GetRequiredService<ExchangeReadiness>());
        services.AddHealthChecks().AddCheck<ExchangeReadiness>("exchange", tags: [AkkaComposition.ReadinessTag]);
        services.AddSingleton<AskAttempts>();
        services.AddSingleton<SessionLimits>();
        services.AddSingleton<OrderActivity>();
        services.AddSingleton<ExchangeMetrics>();
        services.AddSingleton<ClusterActivity>();
        services.AddSingleton<DashboardFiles>();
        services.AddSingleton<BackupService>();
        services.AddHostedService(sp => sp.GetRequiredService<BackupService>());
        services.AddSingleton<SymbolGateway>();
        services.AddSingleton<MarketDataHub>();
        services.AddSingleton<SettlementFeed>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
        return builder;
    }

    public static WebApplication MapExchangeNode(this WebApplication app)
    {
        // Settings first: a node that may not start (an open node on a public address, a bad keys file) stops here.
        var settings = app.Services.GetRequiredService<NodeSettings>();
        if (settings.Members.IsOpen)
            app.Logger.LogWarning("open mode: no member keys (--member-keys), so whoever reaches this node acts for any account; it listens on loopback only");
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.MapHealthEndpoints();
        app.MapOrderEndpoints();
        app.MapMarketEndpoints();
        app.MapMarketDataSocket();
        app.MapOrderEntrySocket();
        app.MapAdminEndpoints();
        app.MapSettlementEndpoints();
        app.MapSeedNodesEndpoint();
        app.MapRegionEndpoints();
        app.MapDashboard();
        app.MapBackupEndpoints();
        // Prometheus text: prometheus-net's series plus every .NET meter (ExchangeMetrics, JournalMetrics, ASP.NET Core's).
        // The meter adapter begins recording at the registry's first collection, so collect once at start: otherwise
        // everything before the first scrape would be missing.
        app.Lifetime.ApplicationStarted.Register(() => Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult());
        // Made now, so that a scrape before the first order shows the node's gauges (the journal's series follow its first write).
        app.Services.GetRequiredService<ExchangeMetrics>();
        app.MapMetrics("/metrics");
        return app;
    }
}
