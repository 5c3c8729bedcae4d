using AkkaExchange.Node.Hosting;

namespace AkkaExchange.Node.Api;

/// <summary>
/// Limits that keep one client from taking the node: at most <c>MaxSessions</c> WebSocket sessions at once (every
/// kind; more get 503 before the upgrade), and on order entry at most <c>MaxMessagesPerSecondPerSession</c> messages a
/// second per session (a token bucket holding one second's worth; a message over it gets its own 429 answer and
/// the session goes on).
/// </summary>
public sealed class SessionLimits(NodeSettings settings)
{
    private int _sessions;

    /// <summary>Takes a session slot; false (and nothing taken) when the node is full.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _sessions) <= settings.Options.MaxSessions) return true;
        Interlocked.Decrement(ref _sessions);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _sessions);

    /// <summary>The WebSocket sessions open now.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>
    /// Admits a WebSocket upgrade: runs <paramref name="checks"/> (origin, member key, account; they throw
    /// <see cref="ApiRequestException"/>), then takes a session slot. On refusal it answers the HTTP error itself and
    /// returns null; otherwise the slot, to dispose when the session ends.
    /// </summary>
    public async Task<SessionSlot?> AdmitAsync(HttpContext context, Action checks)
    {
        try
        {
            checks();
        }
        catch (ApiRequestException e)
        {
            await ApiResults.Error(e.Status, e.Message).ExecuteAsync(context);
            return null;
        }
        if (TryEnter()) return new SessionSlot(this);
        await ApiResults.Error(503, "this node has as many sessions as it takes; try another node or later").ExecuteAsync(context);
        return null;
    }

    /// <summary>A new session's message budget.</summary>
    public RateBucket NewBucket() => new(settings.Options.MaxMessagesPerSecondPerSession);

    /// <summary>One session's token bucket; used by the session's reading loop only, so not thread-safe.</summary>
    public sealed class RateBucket(int perSecond)
    {
        private double _tokens = perSecond;
        private long _last = Environment.TickCount64;

        public int PerSecond => perSecond;

        public bool TryTake()
        {
            var now = Environment.TickCount64;
            _tokens = Math.Min(perSecond, _tokens + (now - _last) * perSecond / 1000.0);
            _last = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}
