using System.Diagnostics;

namespace AkkaExchange.TestSupport;

/// <summary>Runs a program to its end, as a user at a shell would, and returns its exit code and what it printed.</summary>
public static class ChildProcess
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string fileName, IEnumerable<string> args, string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The operator tool reads these; a test says what it means on the command line instead.
        psi.Environment.Remove("AKKAEX_URL");
        psi.Environment.Remove("AKKAEX_ADMIN_KEY");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (timeout is { } t) await p.WaitForExitAsync().WaitAsync(t);
        else await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
