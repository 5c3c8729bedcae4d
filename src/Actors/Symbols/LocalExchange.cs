using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// One node's exchange: a symbol actor per listed symbol on one actor system, all journaling through one
/// group-commit writer. <see cref="StartAsync"/> returns when every symbol has recovered;
/// <see cref="DisposeAsync"/> drains the mailboxes, commits what is pending and closes the journal.
/// </summary>
public sealed class LocalExchange : IAsyncDisposable
{
    private readonly IJournal _journal;
    private readonly SymbolActorSettings _settings;
    private readonly IMarketDataSink _marketData;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggers;
    private readonly Dictionary<string, ActorRef> _actors = new(StringComparer.Ordinal);
    private ActorSystem? _system;
    private GroupCommitWriter? _writer;
    private int _disposed;

    public LocalExchange(IJournal journal, IEnumerable<InstrumentSpec> instruments, SymbolActorSettings settings,
        IMarketDataSink? marketData = null, TimeProvider? clock = null, ILoggerFactory? loggers = null)
    {
        _journal = journal;
        Instruments = instruments.ToDictionary(i => i.Symbol, StringComparer.Ordinal);
        _settings = settings;
        _marketData = marketData ?? IMarketDataSink.None;
        _clock = clock ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    public IReadOnlyDictionary<string, InstrumentSpec> Instruments { get; }

    /// <summary>True once every symbol has recovered.</summary>
    public bool IsReady { get; private set; }

    public IJournal Journal => _journal;

    /// <summary>Journal transactions and entries committed by this node's writer.</summary>
    public (long Commits, long Entries) Committed => _writer is null ? (0, 0) : (_writer.Commits, _writer.Entries);

    /// <summary>Time the journal writer spent writing.</summary>
    public TimeSpan JournalBusyTime => _writer?.BusyTime ?? TimeSpan.Zero;

    public long Restarts => _system?.Restarts ?? 0;

    public async Task StartAsync(CancellationToken cancellation = default)
    {
        await _journal.InitializeAsync(cancellation).ConfigureAwait(false);
        _writer = new GroupCommitWriter(_journal, log: _loggers.CreateLogger<GroupCommitWriter>());
        _system = new ActorSystem(_loggers);
        foreach (var spec in Instruments.Values)
        {
            var log = _loggers.CreateLogger("AkkaExchange.Symbols." + spec.Symbol);
            var writer = _writer;
            _actors[spec.Symbol] = _system.Spawn("symbol-" + spec.Symbol,
                () => new SymbolActor(spec, writer, _settings, _marketData, _clock, log));
        }
        await Task.WhenAll(_actors.Values.Select(a => a.Started)).WaitAsync(cancellation).ConfigureAwait(false);
        IsReady = true;
    }

    /// <summary>
    /// Sends a symbol message to its actor and awaits the reply: an <see cref="OrderReport"/>,
    /// <see cref="CommandRejected"/>, <see cref="BookView"/>, trade list or null (unknown order), per message type.
    /// </summary>
    public Task<object?> AskAsync(IWithSymbol message, TimeSpan timeout, CancellationToken cancellation = default) =>
        _actors.TryGetValue(message.Symbol, out var actor)
            ? actor.Ask<object?>(message, timeout, cancellation)
            : Task.FromResult<object?>(new CommandRejected(message.Symbol, "", "", RejectReason.UnknownSymbol));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        IsReady = false;
        if (_system is not null) await _system.DisposeAsync().ConfigureAwait(false);
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        await _journal.DisposeAsync().ConfigureAwait(false);
    }
}
