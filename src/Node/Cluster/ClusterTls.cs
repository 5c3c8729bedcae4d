using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Remote.Transport.DotNetty;

namespace AkkaExchange.Node.Cluster;

/// <summary>
/// Akka.Remote's mutual TLS between nodes. Every node of a cluster presents the cluster certificate and accepts a
/// peer only when it presents that same certificate (pinned by thumbprint; chain validation alone would accept any
/// certificate from a public CA). An embedded node makes a certificate of its own at start-up: nothing else on the
/// machine can then talk to its loopback port.
/// </summary>
public static class ClusterTls
{
    /// <summary>The cluster certificate from a PKCS#12 file.</summary>
    public static X509Certificate2 Load(string path, string? password) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.Exportable);

    /// <summary>A self-signed certificate for this process only.</summary>
    public static X509Certificate2 Ephemeral()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=akkaexchange-embedded", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
        // Through PKCS#12 so that the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>Accepts exactly the peers that present <paramref name="certificate"/>.</summary>
    public static CertificateValidationCallback PinnedTo(X509Certificate2 certificate) => CertificateValidation.PinnedCertificate(certificate.Thumbprint);
}
