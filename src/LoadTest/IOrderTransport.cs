namespace AkkaExchange.LoadTest;

/// <summary>Carries requests to the exchange and hands every answer to the callback it was built with.</summary>
public interface IOrderTransport : IAsyncDisposable
{
    Task ConnectAsync(CancellationToken cancellation);

    /// <summary>Sends without waiting; <paramref name="lane"/> picks the connection (a broker keeps its lane).</summary>
    void Send(int lane, OutgoingOrder order);
}
