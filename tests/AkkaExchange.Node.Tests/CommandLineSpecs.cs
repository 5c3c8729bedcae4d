using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>The node's command line as a newcomer meets it: a mistake is one line and exit code 2, never a stack trace or a silent default.</summary>
public sealed class CommandLineSpecs
{
    [Theory]
    [InlineData("--jounral postgres", "unknown option --jounral (did you mean --journal?)")]
    [InlineData("--shards abc", "Failed to convert configuration value 'abc' at 'Exchange:Shards'")]
    [InlineData("--shards 0", "Shards must be between 1 and 4096")]
    [InlineData("--cluster maybe", "'maybe' at 'Exchange:Cluster'")]
    [InlineData("--connection-string x", "--connection-string is not accepted")]
    [InlineData("--backup-dir backups", "BackupDirectory needs BackupKeyFile")]
    [InlineData("--backup-dir backups --backup-key-file /nonexistent/backup.key", "BackupKeyFile /nonexistent/backup.key does not exist")]
    public async Task A_wrong_command_line_stops_the_node_with_one_line_and_exit_code_2(string args, string reason)
    {
        var dir = RepositoryPaths.TempDirectory("cli");
        var (code, stdout, stderr) = await RunAsync(dir, [.. args.Split(' '), "--data-dir", "data", "--urls", $"http://127.0.0.1:{FreePort.Next()}"]);
        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("akkaexchange: ", line);
        Assert.Contains(reason, line);
        Assert.DoesNotContain("   at ", stdout + stderr);
    }

    [Fact]
    public async Task Help_prints_every_switch_and_starts_nothing()
    {
        var (code, stdout, _) = await RunAsync(RepositoryPaths.TempDirectory("cli"), ["--help"]);
        Assert.Equal(0, code);
        Assert.StartsWith("usage: AkkaExchange.Node", stdout);
        foreach (var option in new[] { "--data-dir", "--journal", "--cluster", "--region", "--settlement-poll" }) Assert.Contains(option, stdout);
    }

    [Fact]
    public async Task A_second_node_on_the_same_data_directory_is_refused_and_the_first_keeps_serving()
    {
        var dir = RepositoryPaths.TempDirectory("cli");
        await using var first = await NodeProcess.StartAsync(dir, ["--data-dir", "data", "--symbols", "AAPL"]);
        var (code, _, stderr) = await RunAsync(dir, ["--data-dir", "data", "--symbols", "AAPL", "--urls", $"http://127.0.0.1:{FreePort.Next()}"]);
        Assert.Equal(2, code);
        Assert.Contains("is in use by another node", stderr);
        using var ready = await first.Http.GetAsync("/health/ready");
        Assert.True(ready.IsSuccessStatusCode);
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(string dir, string[] args) =>
        ChildProcess.RunAsync("dotnet", [NodeProcess.NodeDll, .. args], dir, TimeSpan.FromSeconds(60));
}
