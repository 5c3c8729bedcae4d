using AkkaExchange.Node.Cluster;
using k8s.Models;

namespace AkkaExchange.Node.Tests;

/// <summary>Which pods <see cref="KubernetesPodDiscovery"/> answers: running, not being deleted, with an IP and the named port.</summary>
public sealed class KubernetesPodTargetsSpecs
{
    private static V1Pod Pod(string ip, string phase = "Running", bool deleting = false, string portName = "http", int port = 8080) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p-" + ip, DeletionTimestamp = deleting ? DateTime.UtcNow : null },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "node", Ports = [new V1ContainerPort { Name = portName, ContainerPort = port }] }] },
        Status = new V1PodStatus { Phase = phase, PodIP = ip },
    };

    [Fact]
    public void Running_pods_with_an_IP_and_the_named_port_are_the_targets()
    {
        var pods = new V1PodList
        {
            Items =
            [
                Pod("10.0.0.1"), Pod("10.0.0.2", port: 9090), Pod("10.0.0.3", phase: "Pending"), Pod("10.0.0.4", deleting: true),
                Pod("", phase: "Running"), Pod("10.0.0.6", portName: "metrics"),
            ],
        };

        var targets = KubernetesPodDiscovery.Targets(pods, "http").Select(t => (t.Host, t.Port)).ToArray();
        Assert.Equal([("10.0.0.1", (int?)8080), ("10.0.0.2", 9090)], targets);
        // Without a port name every running pod with an IP is a target, without a port.
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.6"], KubernetesPodDiscovery.Targets(pods, null).Select(t => t.Host));
        Assert.All(KubernetesPodDiscovery.Targets(pods, null), t => Assert.Null(t.Port));
    }
}
