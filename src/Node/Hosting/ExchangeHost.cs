using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Symbols;
using AkkaExchange.Node.MarketData;
using AkkaExchange.Node.Options;
using Microsoft.Extensions.Options;

namespace AkkaExchange.Node.Hosting;

/// <summary>
/// Runs the node's <see cref="LocalExchange"/>: recovery starts with the host (the node answers
/// <c>/health/live</c> at once and <c>/health/ready</c> when every symbol has recovered); stopping the host drains
/// the actors and commits what they hold before the journal closes.
/// </summary>
public sealed class ExchangeHost : IHostedService
{
    private readonly ILogger<ExchangeHost> _log;
    private readonly CancellationTokenSource _stopping = new();
    private Task _recovery = Task.CompletedTask;

    public ExchangeHost(IOptions<ExchangeOptions> options, MarketDataHub hub, ILoggerFactory loggers, ILogger<ExchangeHost> log)
    {
        _log = log;
        var o = options.Value;
        Options = o;
        var instruments = o.SymbolList().Select(s => new InstrumentSpec(s, o.TickSize, o.LotSize, 1, o.MaxQuantity)).ToArray();
        Exchange = new LocalExchange(CreateJournal(o), instruments,
            new SymbolActorSettings(o.NodeId, o.SnapshotInterval, o.RetainedDoneOrders), hub, TimeProvider.System, loggers);
    }

    public LocalExchange Exchange { get; }
    public ExchangeOptions Options { get; }

    public static IJournal CreateJournal(ExchangeOptions o) => o.Journal switch
    {
        "postgres" => new PostgresJournal(new PostgresJournalOptions(o.ConnectionString!, o.PostgresSchema)),
        _ => new SqliteJournal(new SqliteJournalOptions(Path.Combine(Path.GetFullPath(o.DataDirectory), "journal.db"), o.SqliteSynchronous)),
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _log.LogInformation("node {Node}: {Symbols} symbols, journal {Journal}, data directory {Dir}",
            Options.NodeId, Exchange.Instruments.Count, Exchange.Journal.Name, Path.GetFullPath(Options.DataDirectory));
        _recovery = Task.Run(async () =>
        {
            var started = DateTime.UtcNow;
            await Exchange.StartAsync(_stopping.Token);
            _log.LogInformation("ready: {Symbols} symbols recovered in {Ms} ms ({Events} events replayed, {Snapshots} snapshots)",
                Exchange.Instruments.Count, (long)(DateTime.UtcNow - started).TotalMilliseconds, RecoveryStats.EventsReplayed, RecoveryStats.SnapshotsLoaded);
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _recovery;
        }
        catch (OperationCanceledException)
        {
        }
        await Exchange.DisposeAsync();
        _log.LogInformation("stopped: mailboxes drained, journal flushed and closed");
    }
}
