namespace AkkaExchange.Messages;

/// <summary>The top levels of the book after a committed batch of events (prices in ticks, best first).</summary>
public sealed record BookUpdate(string Symbol, long Sequence, long PreviousSequence, IReadOnlyList<BookLevel> Bids,
    IReadOnlyList<BookLevel> Asks) : IMarketDataUpdate;
