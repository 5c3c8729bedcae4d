namespace AkkaExchange.LoadTest;

/// <summary>Asks the exchange which of a batch of acknowledged orders it can show.</summary>
public interface IOrderLookup
{
    /// <summary>One flag per order, in order: true when the exchange shows it with the same order id.</summary>
    Task<IReadOnlyList<bool>> FindAsync(IReadOnlyList<AckedOrder> batch, CancellationToken cancellation);
}
