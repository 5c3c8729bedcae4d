namespace AkkaExchange.Messages;

/// <summary>
/// How a node of a region that is not active refuses a request (503): <c>region A does not take orders (…); the active
/// region is B (url)</c>. Clients that follow regions look for <see cref="Marker"/> to send the request to another
/// region instead of counting an error; a stable text, part of the API.
/// </summary>
public static class RegionRefusal
{
    public const string Marker = "does not take orders";

    /// <summary>The refusal of <paramref name="region"/>, with why and, when known, where the active region is.</summary>
    public static string Text(string? region, string why, string? activeRegion, string? activeUrl) =>
        $"region {region} {Marker} ({why})" + (activeRegion is null ? "" : $"; the active region is {activeRegion}" + (activeUrl is null ? "" : $" ({activeUrl})"));

    /// <summary>True when an error text is a region's refusal.</summary>
    public static bool Is(string? error) => error?.Contains(Marker, StringComparison.Ordinal) == true;
}
