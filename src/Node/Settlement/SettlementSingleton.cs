namespace AkkaExchange.Node.Settlement;

/// <summary>The key of the settlement projection singleton in the actor registry; its name in the cluster.</summary>
public sealed class SettlementSingleton
{
    public const string Name = "settlement";

    private SettlementSingleton() { }
}
