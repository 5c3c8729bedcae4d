namespace AkkaExchange.Actors.Settlement;

/// <summary>Asks the settlement projection for its <see cref="SettlementStatus"/>.</summary>
public sealed record GetSettlementStatus
{
    public static GetSettlementStatus Instance { get; } = new();
}
