namespace AkkaExchange.Node.Transport;

/// <summary>What a transport frame carries.</summary>
public enum FrameKind : byte
{
    /// <summary>A symbol request (wire codec) to be answered by the receiving node's own symbols.</summary>
    Request = 1,

    /// <summary>The reply to the request with the same correlation id (wire codec).</summary>
    Reply = 2,

    /// <summary>The request failed: an int32 HTTP-like status (503: retry elsewhere or later) and a UTF-8 reason.</summary>
    Failure = 3,

    /// <summary>The symbols whose market data the sending node wants from now on (replaces its previous set).</summary>
    Subscribe = 4,

    /// <summary>A market-data update of a subscribed symbol (wire codec), from the symbol's owner.</summary>
    MarketData = 5,
}
