namespace AkkaExchange.Messages;

/// <summary>A fact emitted by a symbol's order book; applying the events in order rebuilds the book.</summary>
public interface IBookEvent : IWithSymbol
{
    /// <summary>When the command that caused the event was decided, in Unix microseconds.</summary>
    long Timestamp { get; }
}
