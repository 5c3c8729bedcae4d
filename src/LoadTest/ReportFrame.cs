namespace AkkaExchange.LoadTest;

/// <summary>
/// What came back for one request, reduced to what the load test needs. <paramref name="Status"/> is the order
/// status of a report ("new", "filled", …), "rejected" for a refusal of the exchange, or "error" for a failure
/// (unavailable, timeout, connection lost).
/// </summary>
public sealed record ReportFrame(string ClientOrderId, string Status, long OrderId, long LeavesQuantity, string? Error)
{
    public bool IsAcknowledged => Status is not ("rejected" or "error");
}
