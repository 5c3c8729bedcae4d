namespace AkkaExchange.Node.Dashboard;

/// <summary>Whether settlement runs on a node, its last measured lag and the trades it settled since the node started.</summary>
public sealed record SettlementActivity(bool Running, double LagSeconds, long TradesSettled);
