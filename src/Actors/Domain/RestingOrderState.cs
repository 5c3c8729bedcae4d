using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Domain;

/// <summary>A copy of one resting order, as found in views and snapshots.</summary>
public sealed record RestingOrderState(
    long OrderId,
    string Account,
    string ClientOrderId,
    Side Side,
    long Price,
    long Quantity,
    long Filled,
    bool PostOnly,
    long Timestamp,
    long PrioritySequence)
{
    public long Leaves => Quantity - Filled;
}
