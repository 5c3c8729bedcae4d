using System.Collections.Concurrent;
using Akka.Actor;
using AkkaExchange.Actors.Symbols;

namespace AkkaExchange.Node.Hosting;

/// <summary>The symbols whose entities run on this node and have recovered (from <see cref="SymbolServing"/> on the event stream).</summary>
public sealed class LocalSymbols
{
    private readonly ConcurrentDictionary<string, byte> _serving = new(StringComparer.Ordinal);

    public bool IsServing(string symbol) => _serving.ContainsKey(symbol);

    public int Count => _serving.Count;

    /// <summary>How many shards the serving symbols make up, by <paramref name="shards"/>.</summary>
    public int ShardCount(ShardMap shards) => _serving.Keys.Select(shards.ShardOf).Distinct().Count();

    /// <summary>An actor that keeps this up to date; started once with the actor system.</summary>
    public Props TrackerProps() => Props.Create(() => new Tracker(this));

    private sealed class Tracker : ReceiveActor
    {
        public Tracker(LocalSymbols symbols)
        {
            Receive<SymbolServing>(s =>
            {
                if (s.Serving) symbols._serving[s.Symbol] = 0;
                else symbols._serving.TryRemove(s.Symbol, out _);
            });
        }

        protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(SymbolServing));
    }
}
