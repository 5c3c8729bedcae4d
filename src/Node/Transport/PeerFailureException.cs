namespace AkkaExchange.Node.Transport;

/// <summary>A forwarded request failed at, or on the way to, the peer; status 503 means retry (elsewhere or later).</summary>
public sealed class PeerFailureException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
