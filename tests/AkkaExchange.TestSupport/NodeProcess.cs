using System.Diagnostics;
using System.Net.Http.Json;

namespace AkkaExchange.TestSupport;

/// <summary>
/// A real node process (the built src/Node), started with its own loopback port and data directory, its output
/// kept in a log file. <see cref="KillAsync"/> is <c>kill -9</c>; <see cref="StopAsync"/> is SIGTERM (graceful).
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, int port, string logPath)
    {
        _process = process;
        Port = port;
        LogPath = logPath;
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public HttpClient Http { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    public static string NodeDll
    {
        get
        {
            // Same configuration as the tests (bin/<Configuration>/net10.0).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Path.Combine(RepositoryPaths.Root, "src", "Node", "bin", configuration, "net10.0", "AkkaExchange.Node.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build src/Node first", path);
        }
    }

    /// <summary>
    /// A one-node cluster (node <c>n1</c>, its own certificate under <c>id-&lt;name&gt;</c>, data in
    /// <c>data-&lt;name&gt;</c>) on the PostgreSQL of <paramref name="connection"/>, its client carrying
    /// <paramref name="adminToken"/>: what the backup drill and the restore benchmark start on a database and on its restore.
    /// </summary>
    public static async Task<NodeProcess> StartClusterAsync(string workingDirectory, string name, string connection, string symbols, string adminToken,
        IEnumerable<string> extra, TimeSpan? readyTimeout = null)
    {
        var identity = new ClusterIdentity(Directory.CreateDirectory(Path.Combine(workingDirectory, "id-" + name)).FullName);
        var node = await StartAsync(workingDirectory, [.. identity.Arguments("n1"), "--journal", "postgres", "--node-id", "n1", "--symbols", symbols,
                "--data-dir", "data-" + name, .. extra],
            port: identity.PortOf("n1"),
            environment: new Dictionary<string, string> { ["Exchange__ConnectionString"] = connection, ["Exchange__AdminToken"] = adminToken }
                .Concat(identity.Environment).ToDictionary(),
            readyTimeout: readyTimeout);
        node.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        return node;
    }

    /// <summary>Starts a node and waits until <paramref name="readyPath"/> (<c>/health/ready</c>) answers 200.</summary>
    public static async Task<NodeProcess> StartAsync(string workingDirectory, IEnumerable<string> arguments, int? port = null,
        IDictionary<string, string>? environment = null, TimeSpan? readyTimeout = null, string readyPath = "/health/ready")
    {
        var p = port ?? FreePort.Next();
        var logPath = Path.Combine(workingDirectory, $"node-{p}-{DateTime.UtcNow:HHmmssfff}.log");
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(NodeDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{p}");
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, p, logPath);
        try
        {
            await node.WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(90), readyPath);
        }
        catch
        {
            // Nobody else holds it yet: a node that never became ready must not outlive the test.
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    /// <summary>Waits until <paramref name="path"/> answers 200 (a standby region's node is live but never ready).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, string path = "/health/ready")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"node exited with {_process.ExitCode} before it was ready; log:\n{ReadLog()}");
            try
            {
                using var r = await Http.GetAsync(path);
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"node on {Port} not ready within {timeout}; log:\n{ReadLog()}");
    }

    public string ReadLog()
    {
        try
        {
            using var s = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(s).ReadToEnd();
        }
        catch (IOException e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    /// <summary>kill -9: no chance to flush anything.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends the process a signal by name (<c>TERM</c>, <c>STOP</c> to freeze it, <c>CONT</c> to wake it).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then wait for the graceful shutdown to finish; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            await SignalAsync("TERM");
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(cts.Token);
        }
        return _process.ExitCode;
    }

    /// <summary>Waits until the process exits by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public Task<T?> GetJsonAsync<T>(string path) => Http.GetFromJsonAsync<T>(path);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
        _process.Dispose();
    }
}
