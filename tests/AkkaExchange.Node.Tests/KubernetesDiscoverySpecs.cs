using System.Text.Json;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// Nodes find each other through the Kubernetes API (Akka.Discovery.KubernetesApi on the KubernetesClient our feed
/// serves, a different version than the one it was built against): three real node processes, given no seed contacts,
/// only a pod's environment pointing at <see cref="FakeKubernetesApi"/>, form one cluster.
/// </summary>
public sealed class KubernetesDiscoverySpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Three_nodes_given_only_the_Kubernetes_API_form_one_cluster()
    {
        await using var api = await FakeKubernetesApi.StartAsync(RepositoryPaths.TempDirectory("k8s-api"));
        await using var cluster = new ClusterHarness(api.PodEnvironment, seedContacts: false);
        string[] ids = ["n1", "n2", "n3"];
        // A StatefulSet with parallel pod management: all pods listed, all starting together.
        foreach (var id in ids) api.AddPod($"akkaexchange-{id}", cluster.PortOf(id));
        await Task.WhenAll(ids.Select(cluster.StartAsync));

        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var members = JsonDocument.Parse(await cluster.Nodes["n3"].Http.GetStringAsync("/admin/v1/members"));
            var up = members.RootElement.GetProperty("members").EnumerateArray()
                .Where(m => m.GetProperty("status").GetString() == "up").Select(m => m.GetProperty("nodeId").GetString()).Order().ToArray();
            if (up.SequenceEqual(ids)) break;
            Assert.True(DateTime.UtcNow < deadline, $"members up: {string.Join(",", up)}");
            await Task.Delay(250);
        }
        await cluster.WaitOwnedByAsync(ids, Patience);
        var (listed, refused) = api.Requests;
        Assert.True(listed >= 3, $"the pod list was asked {listed} times");
        Assert.Equal(0, refused);
        // And it trades: an order entered on one node, matched on the symbol's owner.
        await ClusterHarness.PlaceAsync(cluster.Nodes["n1"], "AAPL", "K8S-S", "s1", "sell", "10.00", 5);
        var (_, filled) = await ClusterHarness.PlaceAsync(cluster.Nodes["n2"], "AAPL", "K8S-B", "b1", "buy", "10.00", 5);
        Assert.Equal(5, filled);
    }
}
