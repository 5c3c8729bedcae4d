namespace AkkaExchange.TestSupport;

/// <summary>Runs one of the repository's scripts (<c>scripts/&lt;name&gt;</c>) with bash, as a user would.</summary>
public static class RepoScript
{
    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(string name, params string[] args) =>
        ChildProcess.RunAsync("bash", [Path.Combine(RepositoryPaths.Root, "scripts", name), .. args]);
}
