using AkkaExchange.Node.Api;
using AkkaExchange.Node.Hosting;

namespace AkkaExchange.Node.Security;

/// <summary>
/// Who a request acts for, checked at the edge of every member endpoint: 401 without a valid member key, 403 for an
/// account of another member. On an open node (no keys, loopback only) everything is allowed.
/// </summary>
public static class MemberAccess
{
    /// <summary>The member the request proves (null on an open node); throws 401 when keys are required and missing.</summary>
    public static string? Authenticate(HttpContext context)
    {
        var keys = context.RequestServices.GetRequiredService<NodeSettings>().Members;
        if (keys.IsOpen) return null;
        return keys.Authenticate(context.Request.Headers.Authorization.ToString())
            ?? throw new ApiRequestException(401, "missing or unknown member key (Authorization: Bearer <key>)");
    }

    /// <summary>Throws 403 unless <paramref name="member"/> (from <see cref="Authenticate"/>) may act for the account.</summary>
    public static void Require(string? member, string account)
    {
        if (member is not null && !MemberKeys.Owns(member, account))
            throw new ApiRequestException(403, $"account {account} does not belong to member {member}");
    }

    /// <summary><see cref="Authenticate"/> then <see cref="Require"/>.</summary>
    public static string? Authorize(HttpContext context, string account)
    {
        var member = Authenticate(context);
        Require(member, account);
        return member;
    }

    /// <summary>
    /// Refuses a WebSocket upgrade a web page on another site started: browsers always send <c>Origin</c>, and a
    /// page's origin that is not this node's own address may not use the user's network position (loopback, an
    /// internal network) to trade or read. Clients that are not browsers send no <c>Origin</c>.
    /// </summary>
    public static void RequireSameOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
            throw new ApiRequestException(403, $"WebSocket upgrade from origin {origin} refused: only this node's own pages may connect");
    }
}
