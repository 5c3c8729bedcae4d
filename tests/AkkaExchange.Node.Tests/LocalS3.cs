using System.Diagnostics;
using System.Net.Sockets;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// An S3-compatible server on loopback for the specs of the backups' S3 location: s3rver (tests/s3, installed with
/// <c>npm ci</c> on first use) with one bucket, and the AWS SDK environment that points a process at it — as an
/// operator points the node at a bucket through the SDK's usual variables.
/// </summary>
[CollectionDefinition(LocalS3.Collection, DisableParallelization = true)]
#pragma warning disable CA1711 // xunit's collection marker
public sealed class LocalS3Collection;
#pragma warning restore CA1711

internal sealed class LocalS3 : IAsyncDisposable
{
    public const string Bucket = "akkaex-backups";

    /// <summary>The specs that point the SDK's process-wide variables at a server run one at a time.</summary>
    public const string Collection = "local-s3";
    private static readonly SemaphoreSlim NpmOnce = new(1, 1);
    private readonly Process _process;
    private readonly int _port;

    private LocalS3(Process process, int port)
    {
        _process = process;
        _port = port;
    }

    /// <summary>The SDK's settings for this server (s3rver's fixed test credentials; nothing secret).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL_S3"] = $"http://127.0.0.1:{_port}",
        ["AWS_ACCESS_KEY_ID"] = "S3RVER",
        ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
        ["AWS_REGION"] = "us-east-1",
    };

    /// <summary>Sets <see cref="Environment"/> in this process too, for the specs' own <c>BackupBucket</c>s (one server per test process at a time).</summary>
    public void UseHere()
    {
        _usedHere = true;
        foreach (var (name, value) in Environment) System.Environment.SetEnvironmentVariable(name, value);
    }

    private bool _usedHere;

    public static async Task<LocalS3> StartAsync()
    {
        var package = Path.Combine(RepositoryPaths.Root, "tests", "s3");
        await NpmOnce.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(package, "node_modules", "s3rver", "package.json")))
            {
                var (npm, _, error) = await ChildProcess.RunAsync("npm", ["ci", "--prefix", package, "--no-audit", "--no-fund"]);
                if (npm != 0) throw new InvalidOperationException($"npm ci in tests/s3 failed ({npm}): {error.Trim()}");
            }
        }
        finally
        {
            NpmOnce.Release();
        }
        var port = FreePort.Next();
        var data = RepositoryPaths.TempDirectory("s3");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(package, "node_modules", "s3rver", "bin", "s3rver.js"), "-d", data, "-a", "127.0.0.1", "-p", port.ToString(),
                     "--silent", "--no-vhost-buckets", "--configure-bucket", Bucket })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var s3 = new LocalS3(process, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return s3;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await s3.DisposeAsync();
                throw new InvalidOperationException("s3rver did not start");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Later specs' processes must not inherit a server that is gone.
        if (_usedHere) foreach (var name in Environment.Keys) System.Environment.SetEnvironmentVariable(name, null);
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
