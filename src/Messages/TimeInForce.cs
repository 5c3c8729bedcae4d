namespace AkkaExchange.Messages;

/// <summary>How long an order stays working.</summary>
public enum TimeInForce : byte
{
    /// <summary>Good till cancelled: the unfilled remainder rests on the book.</summary>
    Gtc = 1,

    /// <summary>Immediate or cancel: fills what it can now; the remainder is cancelled.</summary>
    Ioc = 2,

    /// <summary>Fill or kill: fills completely now or not at all.</summary>
    Fok = 3,
}
