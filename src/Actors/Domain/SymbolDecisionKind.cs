namespace AkkaExchange.Actors.Domain;

/// <summary>What deciding a symbol command came to.</summary>
public enum SymbolDecisionKind
{
    /// <summary>Events were produced: journal them, then reply with the order's report.</summary>
    Decided,

    /// <summary>The clientOrderId is known and the resubmission matches: reply with the existing report, journal nothing.</summary>
    Existing,

    /// <summary>Refused before the book: reply with the reason, journal nothing.</summary>
    Rejected,
}
