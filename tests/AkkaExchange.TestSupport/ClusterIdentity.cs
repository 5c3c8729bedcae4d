using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AkkaExchange.TestSupport;

/// <summary>
/// What the nodes of one test cluster share: a cluster certificate (a fresh self-signed PKCS#12 file with a random
/// password, as scripts/cluster-up.sh makes with openssl) and fixed ports per node id, so that every node's seed
/// contacts name the others and a restarted node comes back at the same address.
/// </summary>
public sealed class ClusterIdentity
{
    /// <summary>A node's Akka.Remote port is its HTTP port plus this (the node's own rule in cluster mode).</summary>
    public const int RemotePortOffset = 1000;

    private readonly string _certificatePath;
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly Dictionary<string, int> _ports = new();

    public ClusterIdentity(string directory)
    {
        _certificatePath = Path.Combine(directory, "cluster.pfx");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=akkaexchange-test-cluster", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllBytes(_certificatePath, certificate.Export(X509ContentType.Pkcs12, _password));
    }

    /// <summary>The HTTP port of a node (the same each time the node is started).</summary>
    public int PortOf(string nodeId)
    {
        lock (_ports)
            return _ports.TryGetValue(nodeId, out var port) ? port : _ports[nodeId] = FreePort.NextWithCompanion(RemotePortOffset);
    }

    /// <summary>
    /// The switches that make a node a member of this cluster: certificate and, unless another discovery finds the
    /// nodes, seed contacts (every node known so far).
    /// </summary>
    public IEnumerable<string> Arguments(string nodeId, bool seedContacts = true)
    {
        PortOf(nodeId);
        string contacts;
        lock (_ports) contacts = string.Join(',', _ports.Values.Select(p => $"127.0.0.1:{p}"));
        return seedContacts
            ? ["--cluster", "true", "--cluster-certificate", _certificatePath, "--seed-contacts", contacts]
            : ["--cluster", "true", "--cluster-certificate", _certificatePath];
    }

    /// <summary>The environment that carries the certificate's password (never a command-line argument).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["Exchange__ClusterCertificatePassword"] = _password };
}
