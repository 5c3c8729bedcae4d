using AkkaExchange.TestSupport;

namespace AkkaExchange.Node.Tests;

/// <summary>One embedded node (SQLite, four symbols) shared by the tests of a class.</summary>
public sealed class SingleNodeFixture : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;
    public string Directory { get; } = RepositoryPaths.TempDirectory("node");

    public async Task InitializeAsync() =>
        Node = await NodeProcess.StartAsync(Directory, ["--data-dir", "data", "--symbols", "AAPL,MSFT,TSLA,NVDA", "--node-id", "test-node"]);

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
