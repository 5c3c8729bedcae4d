namespace AkkaExchange.TestSupport;

/// <summary>Finds the repository from wherever the tests run.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AkkaExchange.sln"))) return dir.FullName;
        throw new InvalidOperationException($"AkkaExchange.sln not found above {AppContext.BaseDirectory}");
    }

    private static readonly List<string> Created = [];

    /// <summary>
    /// A fresh directory under the system temp folder's <c>akkaex-tests</c>. When the process exits, everything in it
    /// but the node logs (<c>*.log</c>, kept to read a failure) is deleted — journals, ledgers, certificates — unless
    /// <c>AKKAEX_KEEP_TEST_FILES=1</c>.
    /// </summary>
    public static string TempDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), "akkaex-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        lock (Created)
        {
            if (Created.Count == 0 && Environment.GetEnvironmentVariable("AKKAEX_KEEP_TEST_FILES") != "1")
                AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanUp();
            Created.Add(path);
        }
        return path;
    }

    private static void CleanUp()
    {
        string[] created;
        lock (Created) created = [.. Created];
        foreach (var dir in created)
        {
            try
            {
                foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".log", StringComparison.Ordinal)))
                    File.Delete(file);
                foreach (var sub in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
                    if (!Directory.EnumerateFileSystemEntries(sub).Any()) Directory.Delete(sub);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a file still open or a server's directory is left for the next clean-up of /tmp.
            }
        }
    }
}
