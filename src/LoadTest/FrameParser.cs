using System.Text.Json;

namespace AkkaExchange.LoadTest;

/// <summary>Reads the exchange's answers (order reports and error frames) into <see cref="ReportFrame"/>s.</summary>
public static class FrameParser
{
    public static ReportFrame Report(JsonElement report) => new(
        report.GetProperty("clientOrderId").GetString() ?? "",
        report.GetProperty("status").GetString() ?? "error",
        report.GetProperty("orderId").GetInt64(),
        report.GetProperty("leavesQuantity").GetInt64(),
        null);

    /// <summary>A refusal (4xx) is "rejected"; a failure (5xx) is "error".</summary>
    public static ReportFrame Error(string clientOrderId, int status, string? error) =>
        new(clientOrderId, status >= 500 ? "error" : "rejected", 0, 0, error);

    /// <summary>One message of the order-entry session; null when it names no order.</summary>
    public static ReportFrame? WebSocketMessage(ReadOnlyMemory<byte> utf8)
    {
        using var doc = JsonDocument.Parse(utf8);
        var root = doc.RootElement;
        return root.GetProperty("type").GetString() switch
        {
            "report" => Report(root.GetProperty("report")),
            "error" when root.TryGetProperty("clientOrderId", out var id) && id.ValueKind == JsonValueKind.String =>
                Error(id.GetString()!, root.TryGetProperty("status", out var s) ? s.GetInt32() : 500, root.GetProperty("error").GetString()),
            _ => null,
        };
    }
}
