using AkkaExchange.Node.Api;
using AkkaExchange.Node.MarketData;
using AkkaExchange.Node.Options;

namespace AkkaExchange.Node.Hosting;

/// <summary>How a node is put together: its services, its defaults, its endpoints.</summary>
public static class NodeComposition
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public static WebApplicationBuilder AddExchangeNode(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map.ToDictionary());
        // Loopback unless the operator says otherwise (--urls or ASPNETCORE_URLS).
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.AddOptions<ExchangeOptions>()
            .Bind(builder.Configuration.GetSection(ExchangeOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<MarketDataHub>();
        builder.Services.AddSingleton<ExchangeHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExchangeHost>());
        builder.Services.AddSingleton<SymbolGateway>();
        builder.Services.AddSingleton<AkkaExchange.Node.Settlement.SettlementFeed>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    public static WebApplication MapExchangeNode(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.MapHealthEndpoints();
        app.MapOrderEndpoints();
        app.MapMarketEndpoints();
        app.MapMarketDataSocket();
        app.MapOrderEntrySocket();
        app.MapAdminEndpoints();
        app.MapSettlementEndpoints();
        return app;
    }
}
