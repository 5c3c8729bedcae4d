using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Persistence.Settlement;

/// <summary>The trades found in the journal after the projection's offsets, and the offsets they were read up to.</summary>
public sealed record ProjectionBatch(IReadOnlyList<TradeExecuted> Trades, IReadOnlyDictionary<string, long> Offsets, int EventsRead);
