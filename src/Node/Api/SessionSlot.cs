namespace AkkaExchange.Node.Api;

/// <summary>Gives a session's slot back to <see cref="SessionLimits"/> when the session ends, however it ends.</summary>
public sealed class SessionSlot(SessionLimits limits) : IDisposable
{
    public void Dispose() => limits.Leave();
}
