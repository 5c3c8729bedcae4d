using System.Net;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Discovery;
using Akka.Event;
using k8s;
using k8s.Authentication;
using k8s.Autorest;
using k8s.Models;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// Akka.Discovery's <c>kubernetes-api</c> method on the KubernetesClient our feed serves: lists the running pods that
/// match the configured label selector in the pods' namespace, and answers each pod's IP with its container port
/// named as the lookup asks (Cluster Bootstrap asks for <c>http</c>). Pods that are not ready are included — a pod is
/// ready only once it has joined, and it must be found to join.
/// <para>
/// Why ours: Akka.Discovery.KubernetesApi 1.5.73 was built against KubernetesClient 17, which the feed does not serve;
/// on the 19 and 21 it serves, its lookup fails with a <see cref="MissingMethodException"/> (the pod-list model's
/// constructor changed). This class is configured where Akka's would be (<c>akka.discovery.kubernetes-api</c>, with
/// the same setting names) and is what Cluster Bootstrap calls.
/// </para>
/// </summary>
public sealed class KubernetesPodDiscovery : ServiceDiscovery
{
    private readonly ILoggingAdapter _log;
    private readonly string _selector;
    private readonly string _namespace;
    private readonly Kubernetes? _client;
    private readonly string? _unconfigured;

    public KubernetesPodDiscovery(ExtendedActorSystem system)
        : this(system, system.Settings.Config.GetConfig("akka.discovery.kubernetes-api"))
    {
    }

    public KubernetesPodDiscovery(ExtendedActorSystem system, Akka.Configuration.Config config)
    {
        _log = Logging.GetLogger(system, this);
        _selector = config.GetString("pod-label-selector");
        _namespace = config.GetString("pod-namespace", "") is { Length: > 0 } ns ? ns : ReadNamespace(config.GetString("pod-namespace-path"));
        var host = Environment.GetEnvironmentVariable(config.GetString("api-service-host-env-name", "KUBERNETES_SERVICE_HOST"));
        var port = Environment.GetEnvironmentVariable(config.GetString("api-service-port-env-name", "KUBERNETES_SERVICE_PORT"));
        var caPath = config.GetString("api-ca-path");
        if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(port))
            _unconfigured = "KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set: not running in a Kubernetes pod";
        else if (!File.Exists(caPath))
            _unconfigured = $"the API server's CA certificate {caPath} does not exist";
        else
        {
            var ca = new X509Certificate2Collection();
            ca.ImportFromPemFile(caPath);
            _client = new Kubernetes(new KubernetesClientConfiguration
            {
                Host = $"https://{(host.Contains(':') ? $"[{host}]" : host)}:{port}",
                SslCaCerts = ca,
                // Read again when it changes: Kubernetes rotates projected service account tokens.
                TokenProvider = new TokenFileAuth(config.GetString("api-token-path")),
                Namespace = _namespace,
            });
        }
    }

    public override async Task<Resolved> Lookup(Lookup lookup, TimeSpan resolveTimeout)
    {
        if (_client is null) throw new InvalidOperationException($"Kubernetes discovery cannot run: {_unconfigured}");
        using var timeout = new CancellationTokenSource(resolveTimeout);
        V1PodList pods;
        try
        {
            pods = await _client.CoreV1.ListNamespacedPodAsync(_namespace, labelSelector: _selector, cancellationToken: timeout.Token);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new InvalidOperationException(
                $"the Kubernetes API refused to list pods in {_namespace} ({(int)e.Response.StatusCode}): the service account needs get/list/watch on pods (deploy/k8s/base/rbac.yaml)", e);
        }
        var targets = Targets(pods, lookup.PortName).ToList();
        if (targets.Count == 0)
            _log.Warning("no running pod with an IP{0} matches [{1}] in namespace [{2}] ({3} listed)",
                lookup.PortName is { } p ? $" and a port named {p}" : "", _selector, _namespace, pods.Items.Count);
        return new Resolved(lookup.ServiceName, targets);
    }

    /// <summary>Each running pod's IP, with its container port named <paramref name="portName"/> when one is asked for.</summary>
    internal static IEnumerable<ResolvedTarget> Targets(V1PodList pods, string? portName)
    {
        foreach (var pod in pods.Items)
        {
            if (pod.Metadata?.DeletionTimestamp is not null || pod.Status?.Phase != "Running" || pod.Status.PodIP is not { Length: > 0 } ip)
                continue;
            int? port = null;
            if (portName is not null)
            {
                var named = pod.Spec?.Containers?.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == portName);
                if (named is null) continue;
                port = named.ContainerPort;
            }
            yield return new ResolvedTarget(ip, port, IPAddress.TryParse(ip, out var address) ? address : null);
        }
    }

    private static string ReadNamespace(string path) =>
        File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } ns ? ns : "default";
}
