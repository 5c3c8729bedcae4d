using System.Text.Json;
using System.Text.RegularExpressions;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// deploy/k8s checked offline: every kustomization renders with <c>kubectl kustomize</c>, the rendered objects pass the
/// Kubernetes API's schemas (deploy/k8s/validate, kubernetes-models), and the invariants an operator relies on hold —
/// probes, RBAC, disruption budget, non-root and read-only, pinned images, secrets only by reference, and two region
/// overlays that differ only where a region should. The Dockerfile is checked against the manifests.
/// </summary>
public sealed partial class DeploySpecs
{
    private static readonly string K8s = Path.Combine(RepositoryPaths.Root, "deploy", "k8s");
    private static readonly SemaphoreSlim NpmOnce = new(1, 1);

    [Theory]
    [InlineData("overlays/region-a")]
    [InlineData("overlays/region-b")]
    public async Task A_region_renders_valid_objects_whose_nodes_are_probed_unprivileged_and_given_secrets_by_reference(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var nodes = Single(objects, "StatefulSet", "akkaexchange");
        var pod = nodes.GetProperty("spec").GetProperty("template");
        var podSpec = pod.GetProperty("spec");
        var container = Assert.Single(podSpec.GetProperty("containers").EnumerateArray());

        // Probes: started, live and ready on the node's health endpoints.
        Assert.Equal("/health/live", container.GetProperty("startupProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/health/live", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/health/ready", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal([("http", 8080), ("remote", 2552)],
            container.GetProperty("ports").EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("containerPort").GetInt32())));

        // Unprivileged, read-only, resources set, a pinned image, time to hand shards over, spread over zones.
        Assert.True(podSpec.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        var security = container.GetProperty("securityContext");
        Assert.False(security.GetProperty("allowPrivilegeEscalation").GetBoolean());
        Assert.True(security.GetProperty("readOnlyRootFilesystem").GetBoolean());
        Assert.Equal(["ALL"], security.GetProperty("capabilities").GetProperty("drop").EnumerateArray().Select(c => c.GetString()));
        Assert.True(container.GetProperty("resources").GetProperty("requests").TryGetProperty("memory", out _));
        Assert.True(container.GetProperty("resources").GetProperty("limits").TryGetProperty("memory", out _));
        Assert.True(podSpec.GetProperty("terminationGracePeriodSeconds").GetInt32() > 45, "the host waits up to 45 s for a graceful leave");
        Assert.Contains(podSpec.GetProperty("topologySpreadConstraints").EnumerateArray(), c => c.GetProperty("topologyKey").GetString() == "topology.kubernetes.io/zone");
        Assert.All(objects.Where(o => o.GetProperty("kind").GetString() is "StatefulSet" or "Job"), o => AssertPinned(o));

        // Discovery: the node's service account may get, list and watch pods, and nothing else.
        Assert.Equal("akkaexchange", podSpec.GetProperty("serviceAccountName").GetString());
        var rule = Assert.Single(Single(objects, "Role", "akkaexchange-pod-reader").GetProperty("rules").EnumerateArray());
        Assert.Equal([""], rule.GetProperty("apiGroups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["pods"], rule.GetProperty("resources").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["get", "list", "watch"], rule.GetProperty("verbs").EnumerateArray().Select(v => v.GetString()).Order());
        var binding = Single(objects, "RoleBinding", "akkaexchange-pod-reader");
        Assert.Equal("akkaexchange", Assert.Single(binding.GetProperty("subjects").EnumerateArray()).GetProperty("name").GetString());
        // No node forms a cluster before it sees every replica (they start together).
        Assert.Equal(nodes.GetProperty("spec").GetProperty("replicas").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Single(objects, "ConfigMap", "akkaexchange-config").GetProperty("data").GetProperty("Exchange__BootstrapContactPoints").GetString());
        // ... and its selector finds exactly these pods (its labels are all on the pod template).
        var config = Single(objects, "ConfigMap", "akkaexchange-config").GetProperty("data");
        var podLabels = pod.GetProperty("metadata").GetProperty("labels");
        foreach (var term in config.GetProperty("Exchange__KubernetesPodSelector").GetString()!.Split(','))
            Assert.Equal(term.Split('=')[1], podLabels.GetProperty(term.Split('=')[0]).GetString());

        // A voluntary disruption takes one node at a time; the headless service publishes pods before they are ready.
        var budget = Single(objects, "PodDisruptionBudget", "akkaexchange").GetProperty("spec");
        Assert.Equal(1, budget.GetProperty("maxUnavailable").GetInt32());
        Assert.Equal(nodes.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels").ToString(),
            budget.GetProperty("selector").GetProperty("matchLabels").ToString());
        var remote = Single(objects, "Service", "akkaexchange-remote").GetProperty("spec");
        Assert.Equal("None", remote.GetProperty("clusterIP").GetString());
        Assert.True(remote.GetProperty("publishNotReadyAddresses").GetBoolean());

        // Secrets: none inlined, every secret value by reference, nothing secret in the config map.
        Assert.DoesNotContain(objects, o => o.GetProperty("kind").GetString() == "Secret");
        foreach (var env in container.GetProperty("env").EnumerateArray())
            if (SecretName().IsMatch(env.GetProperty("name").GetString()!))
                Assert.Equal("akkaexchange-secrets", env.GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("name").GetString());
        Assert.All(config.EnumerateObject(), p => Assert.False(SecretName().IsMatch(p.Name) && !p.Name.EndsWith("File", StringComparison.Ordinal), $"{p.Name} in a ConfigMap"));
        Assert.All(podSpec.GetProperty("volumes").EnumerateArray().Where(v => v.TryGetProperty("secret", out _)),
            v => Assert.Equal("akkaexchange-secrets", v.GetProperty("secret").GetProperty("secretName").GetString()));
    }

    [Fact]
    public async Task The_two_regions_differ_only_in_their_name_their_peer_and_their_pods_label()
    {
        var a = Flatten(await RenderAsync("overlays/region-a"));
        var b = Flatten(await RenderAsync("overlays/region-b"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        var differing = a.Keys.Where(k => a[k] != b[k]).Order().ToArray();
        Assert.Equal(
        [
            "ConfigMap/akkaexchange-config:data.Exchange__KubernetesPodSelector",
            "ConfigMap/akkaexchange-config:data.Exchange__PeerRegions",
            "ConfigMap/akkaexchange-config:data.Exchange__Region",
            "StatefulSet/akkaexchange:metadata.labels.akkaexchange.io/region",
            "StatefulSet/akkaexchange:spec.template.metadata.labels.akkaexchange.io/region",
        ], differing);
        Assert.Equal(("A", "B"), (a["ConfigMap/akkaexchange-config:data.Exchange__Region"], b["ConfigMap/akkaexchange-config:data.Exchange__Region"]));
        Assert.StartsWith("B=", a["ConfigMap/akkaexchange-config:data.Exchange__PeerRegions"]);
        Assert.StartsWith("A=", b["ConfigMap/akkaexchange-config:data.Exchange__PeerRegions"]);
    }

    [Fact]
    public async Task The_chaos_jobs_render_valid_and_the_pod_killer_may_only_see_and_delete_pods()
    {
        var objects = await RenderAsync("chaos");
        var rule = Assert.Single(Single(objects, "Role", "akkaexchange-pod-killer").GetProperty("rules").EnumerateArray());
        Assert.Equal(["pods"], rule.GetProperty("resources").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["delete", "get", "list"], rule.GetProperty("verbs").EnumerateArray().Select(v => v.GetString()).Order());
        Assert.All(objects.Where(o => o.GetProperty("kind").GetString() == "Job"), job => AssertPinned(job));
        // The load Job runs the load client the image carries (Dockerfile), verifying at the end (no --no-verify).
        var load = Assert.Single(Single(objects, "Job", "akkaexchange-chaos-load").GetProperty("spec").GetProperty("template")
            .GetProperty("spec").GetProperty("containers").EnumerateArray());
        var command = load.GetProperty("command").EnumerateArray().Select(c => c.GetString()).ToArray();
        Assert.Contains($"COPY --from=build /out/loadtest/ {Path.GetDirectoryName(command[1])}/", await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Dockerfile")));
        Assert.DoesNotContain("--no-verify", load.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task The_image_builds_the_node_as_a_non_root_user_on_pinned_bases_exposing_the_manifests_ports()
    {
        var lines = (await File.ReadAllLinesAsync(Path.Combine(RepositoryPaths.Root, "Dockerfile"))).Where(l => !l.StartsWith('#')).ToArray();
        var bases = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToArray();
        Assert.Equal(2, bases.Length);
        Assert.All(bases, b => Assert.Matches(@"^mcr\.microsoft\.com/dotnet/(sdk|aspnet):10\.\d+\.\d+$", b));
        // The build stage's SDK satisfies global.json (same feature band, latest patch).
        using var global = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "global.json")));
        var wanted = Version.Parse(global.RootElement.GetProperty("sdk").GetProperty("version").GetString()!);
        var sdk = Version.Parse(bases.Single(b => b.Contains("/sdk:", StringComparison.Ordinal)).Split(':')[1]);
        Assert.True((sdk.Major, sdk.Minor, sdk.Build / 100) == (wanted.Major, wanted.Minor, wanted.Build / 100) && sdk.Build >= wanted.Build,
            $"the SDK image {sdk} does not satisfy global.json's {wanted}");
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal)).Split(' ')[1].Split(':')[0];
        Assert.True(int.Parse(user) > 0, "the image runs as a numbered non-root user");
        Assert.Equal("EXPOSE 8080 2552", lines.Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal)));
        Assert.Equal("""ENTRYPOINT ["dotnet", "/app/AkkaExchange.Node.dll"]""", lines.Last(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        // Every project the build copies exists, and every project the node and the load client reference (all the
        // way down) is copied before the restore — else the image's restore fails.
        var copied = lines.Where(l => l.StartsWith("COPY src/", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToArray();
        foreach (var path in copied)
            Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, path)) || Directory.Exists(Path.Combine(RepositoryPaths.Root, path)), path);
        var restore = Array.FindIndex(lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var beforeRestore = lines[..restore].Where(l => l.StartsWith("COPY src/", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToHashSet();
        foreach (var project in Referenced("src/Node/AkkaExchange.Node.csproj").Concat(Referenced("src/LoadTest/AkkaExchange.LoadTest.csproj")))
            Assert.True(beforeRestore.Contains(project), $"{project} is not copied before the image's restore");
    }

    /// <summary>A project and every project it references, transitively, as paths from the repository's root.</summary>
    private static IEnumerable<string> Referenced(string project)
    {
        yield return project;
        var dir = Path.GetDirectoryName(project)!;
        foreach (var include in System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryPaths.Root, project)).Descendants("ProjectReference")
                     .Select(r => (string?)r.Attribute("Include")).OfType<string>())
        {
            var path = Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(RepositoryPaths.Root, dir, include.Replace('\\', '/')))).Replace('\\', '/');
            foreach (var p in Referenced(path)) yield return p;
        }
    }

    private static void AssertPinned(JsonElement workload)
    {
        foreach (var c in workload.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers").EnumerateArray())
        {
            var image = c.GetProperty("image").GetString()!;
            var tag = image.Contains('@') ? "digest" : image[(image.LastIndexOf('/') + 1)..].Split(':') is [_, var t] ? t : "";
            Assert.False(tag is "" or "latest", $"{image} is not pinned to a version");
        }
    }

    private static JsonElement Single(IReadOnlyList<JsonElement> objects, string kind, string name) =>
        Assert.Single(objects, o => o.GetProperty("kind").GetString() == kind && NameOf(o) == name);

    /// <summary>A generated object's name without kustomize's content hash (akkaexchange-config-t586bt665g).</summary>
    private static string NameOf(JsonElement o) => GeneratedHash().Replace(o.GetProperty("metadata").GetProperty("name").GetString()!, "$1");

    /// <summary>Every leaf of every object as kind/name:path → value, generated names without their hash.</summary>
    private static Dictionary<string, string> Flatten(IReadOnlyList<JsonElement> objects)
    {
        var leaves = new Dictionary<string, string>();
        void Walk(string prefix, JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject()) Walk(prefix.EndsWith(':') ? prefix + p.Name : $"{prefix}.{p.Name}", p.Value);
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in e.EnumerateArray()) Walk($"{prefix}[{i++}]", item);
                    break;
                default:
                    leaves[prefix] = GeneratedHash().Replace(e.ToString(), "$1");
                    break;
            }
        }
        foreach (var o in objects) Walk($"{o.GetProperty("kind").GetString()}/{NameOf(o)}:", o);
        return leaves;
    }

    /// <summary><c>kubectl kustomize deploy/k8s/DIR</c>, schema-validated, as JSON objects.</summary>
    private static async Task<IReadOnlyList<JsonElement>> RenderAsync(string directory)
    {
        var (code, kubectl, why) = await RepoScript.RunAsync("test-tool.sh", "kubectl", "kubernetes-client");
        if (code != 0) throw new InvalidOperationException($"no kubectl (scripts/test-tool.sh exited {code}): {why.Trim()}");
        var rendered = Path.Combine(RepositoryPaths.TempDirectory("k8s"), "rendered.yaml");
        var (renderCode, yaml, renderError) = await ChildProcess.RunAsync(kubectl.Trim(), ["kustomize", Path.Combine(K8s, directory)]);
        Assert.True(renderCode == 0, $"kubectl kustomize {directory} failed: {renderError}");
        await File.WriteAllTextAsync(rendered, yaml);

        var validator = Path.Combine(K8s, "validate");
        await NpmOnce.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(validator, "node_modules")))
            {
                var (npm, _, npmError) = await ChildProcess.RunAsync("npm", ["ci", "--prefix", validator, "--no-audit", "--no-fund"]);
                if (npm != 0) throw new InvalidOperationException($"npm ci in deploy/k8s/validate failed ({npm}): {npmError.Trim()}");
            }
        }
        finally
        {
            NpmOnce.Release();
        }
        var (valid, json, problems) = await ChildProcess.RunAsync("node", [Path.Combine(validator, "validate.mjs"), rendered]);
        Assert.True(valid == 0, $"{directory} does not pass the Kubernetes schemas:\n{problems}");
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    // Names of settings that hold a secret (the *File settings name a mounted file instead).
    [GeneratedRegex("Token|Password|ConnectionString|Key", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex("^(akkaexchange-[a-z-]+?)-[a-z0-9]{10}$")]
    private static partial Regex GeneratedHash();
}
