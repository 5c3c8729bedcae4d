using System.Net.Http.Headers;
using System.Net.Http.Json;
using Akka.Actor;
using Akka.Cluster;
using AkkaExchange.Actors.Settlement;
using AkkaExchange.Node.Api;
using AkkaExchange.Node.Hosting;
using AkkaExchange.Node.Telemetry;

namespace AkkaExchange.Node.Dashboard;

/// <summary>
/// The activity of every member for the dashboard: this node's from its own <see cref="OrderActivity"/>, the others'
/// from their <c>GET /dashboard/api/activity</c> at the HTTP address each member advertises, asked together with a
/// short timeout (a member that does not answer is shown as such, not waited for). Peers are asked with this node's
/// admin token, which they share: the dashboard API answers loopback callers freely and anyone else only with it.
/// </summary>
public sealed class ClusterActivity(IServiceProvider services, NodeSettings settings, OrderActivity local)
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(1.5);
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>This node's activity.</summary>
    public NodeActivity Local() => new(settings.Options.NodeId, true, null,
        local.Read().Select(s => new[] { s.At, s.Acknowledged, s.Rejected, s.Errors, s.P50Micros, s.P99Micros }).ToArray(),
        new SettlementActivity(SettlementMetrics.IsSettlementRunning, SettlementMetrics.LagSeconds, SettlementMetrics.TradesSettled));

    /// <summary>Every member's activity, this node's first.</summary>
    public async Task<NodeActivity[]> ReadAsync(CancellationToken cancellation)
    {
        var members = services.GetService<ActorSystem>() is { } system
            ? Akka.Cluster.Cluster.Get(system).State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving).ToArray()
            : [];
        var peers = members.Select(m => (NodeId: AdminEndpoints.NodeIdOf(m), Url: AdminEndpoints.HttpAddressOf(m)))
            .Where(p => p.NodeId != settings.Options.NodeId)
            .Select(p => AskAsync(p.NodeId, p.Url, cancellation));
        return [Local(), .. await Task.WhenAll(peers)];
    }

    private async Task<NodeActivity> AskAsync(string nodeId, string? url, CancellationToken cancellation)
    {
        if (url is null) return Unanswered(nodeId, "advertises no HTTP address");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(PeerTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/dashboard/api/activity");
            if (settings.Options.AdminToken is { Length: > 0 } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await Http.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode) return Unanswered(nodeId, $"answered {(int)response.StatusCode}");
            return await response.Content.ReadFromJsonAsync<NodeActivity>(ApiJson.Options, timeout.Token) ?? Unanswered(nodeId, "answered nothing");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !cancellation.IsCancellationRequested)
        {
            return Unanswered(nodeId, e is OperationCanceledException ? "no answer in time" : "unreachable");
        }
    }

    private static NodeActivity Unanswered(string nodeId, string error) => new(nodeId, false, error, [], null);
}
