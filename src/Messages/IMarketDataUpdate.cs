namespace AkkaExchange.Messages;

/// <summary>
/// A market-data message of one symbol's topic. <see cref="Sequence"/> is the journal sequence of the state it
/// reflects; <see cref="PreviousSequence"/> is the sequence of the previous message on the topic, so a
/// subscriber that saw a different one knows it missed something and should take a fresh snapshot.
/// </summary>
public interface IMarketDataUpdate : IWithSymbol
{
    long Sequence { get; }
    long PreviousSequence { get; }
}
