namespace AkkaExchange.Node.Settlement;

/// <summary>The key of the reconciliation singleton in the actor registry; its name in the cluster.</summary>
public sealed class ReconciliationSingleton
{
    public const string Name = "reconciliation";

    private ReconciliationSingleton() { }
}
