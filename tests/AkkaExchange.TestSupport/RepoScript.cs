using System.Diagnostics;

namespace AkkaExchange.TestSupport;

/// <summary>Runs one of the repository's scripts (<c>scripts/&lt;name&gt;</c>) with bash, as a user would.</summary>
public static class RepoScript
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string name, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", name));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
