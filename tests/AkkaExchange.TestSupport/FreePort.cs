using System.Net;
using System.Net.Sockets;

namespace AkkaExchange.TestSupport;

/// <summary>A loopback TCP port nobody listens on right now.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A free port whose companion <paramref name="offset"/> above is free too (a cluster node's HTTP and Akka.Remote ports).</summary>
    public static int NextWithCompanion(int offset)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Next();
            if (port + offset > IPEndPoint.MaxPort) continue;
            try
            {
                using var companion = new TcpListener(IPAddress.Loopback, port + offset);
                companion.Start();
                return port;
            }
            catch (SocketException) when (attempt < 100)
            {
            }
        }
    }
}
