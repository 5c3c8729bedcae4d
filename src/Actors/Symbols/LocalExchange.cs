using AkkaExchange.Actors.Domain;
using AkkaExchange.Actors.Kernel;
using AkkaExchange.Actors.Persistence;
using AkkaExchange.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaExchange.Actors.Symbols;

/// <summary>
/// One node's exchange: a symbol actor per hosted symbol on one actor system, all journaling through one
/// group-commit writer. Symbols are grouped in shards (<see cref="ShardMap"/>). Embedded, the node hosts every
/// shard: <see cref="StartAsync"/> returns when every symbol has recovered. In a cluster, the node hosts the shards
/// it holds leases on (<see cref="StartShardAsync"/>, <see cref="StopShardAsync"/>), each actor writing under its
/// shard's fence. <see cref="DisposeAsync"/> drains the mailboxes, commits what is pending and closes the journal.
/// </summary>
public sealed class LocalExchange : IAsyncDisposable
{
    private readonly IJournal _journal;
    private readonly SymbolActorSettings _settings;
    private readonly IMarketDataSink _marketData;
    private readonly TimeProvider _clock;
    private readonly ILoggerFactory _loggers;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ActorRef> _actors = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, FenceToken?> _hosted = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, FenceToken?> _recovered = new();
    private readonly SemaphoreSlim _shardGate = new(1, 1);
    private ActorSystem? _system;
    private GroupCommitWriter? _writer;
    private int _disposed;

    public LocalExchange(IJournal journal, IEnumerable<InstrumentSpec> instruments, SymbolActorSettings settings,
        IMarketDataSink? marketData = null, TimeProvider? clock = null, ILoggerFactory? loggers = null, ShardMap? shards = null)
    {
        _journal = journal;
        Instruments = instruments.ToDictionary(i => i.Symbol, StringComparer.Ordinal);
        Shards = shards ?? new ShardMap(64);
        _settings = settings;
        _marketData = marketData ?? IMarketDataSink.None;
        _clock = clock ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    public IReadOnlyDictionary<string, InstrumentSpec> Instruments { get; }

    public ShardMap Shards { get; }

    /// <summary>The shards this node hosts now, with the fence each writes under (null when embedded).</summary>
    public IReadOnlyDictionary<int, FenceToken?> HostedShards => _hosted;

    /// <summary>True when a hosted shard's actors have all recovered (hosted shards may still be recovering).</summary>
    public bool IsRecovered(int shard) => _recovered.ContainsKey(shard);

    /// <summary>The listed symbols of a shard.</summary>
    public IReadOnlyList<string> SymbolsOf(int shard) =>
        Instruments.Keys.Where(s => Shards.ShardOf(s) == shard).OrderBy(s => s, StringComparer.Ordinal).ToArray();

    /// <summary>True once every symbol has recovered.</summary>
    public bool IsReady { get; private set; }

    public IJournal Journal => _journal;

    /// <summary>Journal transactions and entries committed by this node's writer.</summary>
    public (long Commits, long Entries) Committed => _writer is null ? (0, 0) : (_writer.Commits, _writer.Entries);

    /// <summary>Time the journal writer spent writing.</summary>
    public TimeSpan JournalBusyTime => _writer?.BusyTime ?? TimeSpan.Zero;

    /// <summary>Opens the journal; with <paramref name="hostAllShards"/> (embedded) also starts and recovers every symbol.</summary>
    public async Task StartAsync(CancellationToken cancellation = default, bool hostAllShards = true)
    {
        await _journal.InitializeAsync(cancellation).ConfigureAwait(false);
        _writer = new GroupCommitWriter(_journal, log: _loggers.CreateLogger<GroupCommitWriter>());
        _system = new ActorSystem(_loggers);
        if (hostAllShards)
            await Task.WhenAll(Enumerable.Range(0, Shards.Shards).Select(shard => StartShardAsync(shard, null, null, cancellation))).ConfigureAwait(false);
        IsReady = true;
    }

    /// <summary>
    /// Starts the actors of a shard and waits until they have recovered; a no-op when already hosted. The shard counts
    /// as hosted from the moment its actors exist (requests queue in their mailboxes while they recover), and shards
    /// recover side by side: a node taking over several shards of a dead one does not recover them one after another.
    /// </summary>
    public async Task StartShardAsync(int shard, FenceToken? fence, Action<FenceToken>? leaseLost, CancellationToken cancellation = default)
    {
        var started = new List<Task>();
        await _shardGate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (_hosted.ContainsKey(shard)) return;
            foreach (var symbol in SymbolsOf(shard))
            {
                var spec = Instruments[symbol];
                var log = _loggers.CreateLogger("AkkaExchange.Symbols." + symbol);
                var writer = _writer!;
                var actor = _system!.Spawn("symbol-" + symbol, () => new SymbolActor(spec, writer, _settings, _marketData, _clock, log, fence, leaseLost));
                started.Add(actor.Started);
                _actors[symbol] = actor;
            }
            _hosted[shard] = fence;
        }
        finally
        {
            _shardGate.Release();
        }
        await Task.WhenAll(started).WaitAsync(cancellation).ConfigureAwait(false);
        await _shardGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // Still the same hosting (not stopped, or stopped and started again, meanwhile)?
            if (_hosted.TryGetValue(shard, out var now) && now == fence) _recovered[shard] = fence;
        }
        finally
        {
            _shardGate.Release();
        }
    }

    /// <summary>Stops serving a shard: new requests are refused at once, queued ones are answered and committed, then the actors stop.</summary>
    public async Task StopShardAsync(int shard)
    {
        await _shardGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_hosted.TryRemove(shard, out _)) return;
            _recovered.TryRemove(shard, out _);
            var stops = new List<Task>();
            foreach (var symbol in SymbolsOf(shard))
                if (_actors.TryRemove(symbol, out _)) stops.Add(_system!.StopActorAsync("symbol-" + symbol));
            await Task.WhenAll(stops).ConfigureAwait(false);
        }
        finally
        {
            _shardGate.Release();
        }
    }

    /// <summary>
    /// Sends a symbol message to its actor and awaits the reply: an <see cref="OrderReport"/>,
    /// <see cref="CommandRejected"/>, <see cref="BookView"/>, trade list or null (unknown order), per message type.
    /// Symbols of a shard this node does not host answer <see cref="RejectReason.Unavailable"/>.
    /// </summary>
    public Task<object?> AskAsync(IWithSymbol message, TimeSpan timeout, CancellationToken cancellation = default) =>
        _actors.TryGetValue(message.Symbol, out var actor)
            ? actor.Ask<object?>(message, timeout, cancellation)
            : Task.FromResult<object?>(new CommandRejected(message.Symbol, "", "",
                Instruments.ContainsKey(message.Symbol) ? RejectReason.Unavailable : RejectReason.UnknownSymbol));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        IsReady = false;
        if (_system is not null) await _system.DisposeAsync().ConfigureAwait(false);
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        await _journal.DisposeAsync().ConfigureAwait(false);
    }
}
