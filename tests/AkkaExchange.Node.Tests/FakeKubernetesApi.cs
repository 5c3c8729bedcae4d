using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// A small stand-in for the Kubernetes API server, in the test process: HTTPS on loopback with its own self-signed
/// certificate, answering <c>GET /api/v1/namespaces/{ns}/pods?labelSelector=…</c> with a pod list in the API's JSON
/// shape — one running pod per registered node, its container port named <c>http</c> — to callers that present the
/// service account token. It writes what a pod would have: the token file and the API server's CA certificate.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    public const string Namespace = "akkaex-test";
    public const string Selector = "app.kubernetes.io/name=akkaexchange,akkaexchange.io/region=test";

    private readonly WebApplication _app;
    private readonly Dictionary<string, int> _pods = new();
    private readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    private int _listed, _refused;

    private FakeKubernetesApi(WebApplication app, string directory)
    {
        _app = app;
        TokenPath = Path.Combine(directory, "token");
        CaPath = Path.Combine(directory, "ca.crt");
    }

    public string TokenPath { get; }
    public string CaPath { get; }
    public int Port { get; private set; }

    /// <summary>Pod lists answered with the right token, namespace and selector; and requests refused.</summary>
    public (int Listed, int Refused) Requests => (Volatile.Read(ref _listed), Volatile.Read(ref _refused));

    /// <summary>Lists a pod for a node from now on (as a StatefulSet's pod appears).</summary>
    public void AddPod(string name, int httpPort)
    {
        lock (_pods) _pods[name] = httpPort;
    }

    public static async Task<FakeKubernetesApi> StartAsync(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel wants a certificate whose key it can use on every platform: round-trip through PKCS#12.
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        var app = builder.Build();
        var api = new FakeKubernetesApi(app, directory);
        app.MapGet("/api/v1/namespaces/{ns}/pods", (string ns, string? labelSelector, HttpContext context) => api.ListPods(ns, labelSelector, context));
        app.MapFallback((HttpContext context) =>
        {
            Interlocked.Increment(ref api._refused);
            return Results.Json(Status(404, $"the fake API does not serve {context.Request.Path}"), statusCode: 404);
        });
        await app.StartAsync();
        api.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        await File.WriteAllTextAsync(api.TokenPath, api._token);
        await File.WriteAllTextAsync(api.CaPath, certificate.ExportCertificatePem());
        return api;
    }

    /// <summary>What a pod has: the API's address in its environment, and the token and CA at the paths the node is given.</summary>
    public IReadOnlyDictionary<string, string> PodEnvironment => new Dictionary<string, string>
    {
        ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
        ["KUBERNETES_SERVICE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Exchange__Discovery"] = "kubernetes-api",
        // As the manifests set it: the three pods start together.
        ["Exchange__BootstrapContactPoints"] = "3",
        ["Exchange__KubernetesPodSelector"] = Selector,
        ["Exchange__KubernetesNamespace"] = Namespace,
        ["Exchange__KubernetesTokenPath"] = TokenPath,
        ["Exchange__KubernetesCaPath"] = CaPath,
    };

    private IResult ListPods(string ns, string? labelSelector, HttpContext context)
    {
        if (context.Request.Headers.Authorization != $"Bearer {_token}")
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(Status(401, "Unauthorized"), statusCode: 401);
        }
        if (ns != Namespace || labelSelector != Selector)
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(Status(400, $"unexpected namespace {ns} or selector {labelSelector}"), statusCode: 400);
        }
        Interlocked.Increment(ref _listed);
        KeyValuePair<string, int>[] pods;
        lock (_pods) pods = [.. _pods];
        var items = pods.Select(p => new Dictionary<string, object>
        {
            ["metadata"] = new { name = p.Key, @namespace = Namespace, uid = p.Key + "-uid", labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/name"] = "akkaexchange", ["akkaexchange.io/region"] = "test",
            } },
            ["spec"] = new
            {
                containers = new[]
                {
                    new
                    {
                        name = "node", image = "akkaexchange:test",
                        ports = new object[] { new { name = "http", containerPort = p.Value, protocol = "TCP" }, new { name = "remote", containerPort = p.Value + 1000, protocol = "TCP" } },
                    },
                },
            },
            ["status"] = new
            {
                phase = "Running", podIP = "127.0.0.1", podIPs = new[] { new { ip = "127.0.0.1" } },
                containerStatuses = new[]
                {
                    new { name = "node", ready = true, restartCount = 0, image = "akkaexchange:test", imageID = "akkaexchange@sha256:0", state = new { running = new { startedAt = "2026-12-02T00:00:00Z" } } },
                },
            },
        });
        return Results.Json(new { kind = "PodList", apiVersion = "v1", metadata = new { resourceVersion = "1" }, items }, JsonOptions);
    }

    private static object Status(int code, string message) => new { kind = "Status", apiVersion = "v1", status = "Failure", message, code };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
