using System.Diagnostics;
using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>The load client (src/LoadTest, built beside the tests) run as a process, as a user runs it.</summary>
internal sealed class LoadClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly TaskCompletionSource _sending = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stdout;
    private readonly Task<string> _stderr;

    private LoadClient(Process process)
    {
        _process = process;
        _stdout = ReadLinesAsync(process.StandardOutput);
        _stderr = process.StandardError.ReadToEndAsync();
    }

    private async Task ReadLinesAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            // The first per-second progress line ("[    1s] sent=…") means the opening balances are in and the
            // sessions are open: a test that kills nodes waits for it, so it tests the run and not the set-up.
            if (line.StartsWith('[')) _sending.TrySetResult();
            if (line.Length > 0) lock (_lines) _lines.Add(line);
        }
        _sending.TrySetResult();
    }

    /// <summary>Completes once the client is sending orders (or has exited).</summary>
    public Task WaitSendingAsync(TimeSpan timeout) => _sending.Task.WaitAsync(timeout);

    public static LoadClient Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var tool = Path.Combine(RepositoryPaths.Root, "src", "LoadTest", "bin", configuration, "net10.0", "AkkaExchange.LoadTest.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(tool);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return new LoadClient(Process.Start(psi)!);
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>What it wrote to stderr (read after <see cref="FinishAsync"/>).</summary>
    public string Errors => _stderr.IsCompletedSuccessfully ? _stderr.Result : "";

    /// <summary>Waits for the run to end; its output lines (the last is the summary contract).</summary>
    public async Task<string[]> FinishAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        await _stderr;
        await _stdout;
        lock (_lines) return _lines.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
