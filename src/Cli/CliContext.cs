using System.CommandLine;

namespace AkkaExchange.Cli;

/// <summary>
/// The options every command shares — <c>--url</c> (<c>AKKAEX_URL</c>, default the local node), <c>--key</c>
/// (<c>AKKAEX_ADMIN_KEY</c>), <c>--json</c> — and how a command runs: a client and an output made from them, a
/// <see cref="CliException"/> printed on one line as its exit code.
/// </summary>
public sealed class CliContext
{
    public Option<string> Url { get; } = new("--url")
    {
        Description = "a node's HTTP address (or AKKAEX_URL)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AKKAEX_URL") ?? "http://127.0.0.1:5000",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "the operator key, the node's AdminToken (or AKKAEX_ADMIN_KEY); an open loopback node needs none",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AKKAEX_ADMIN_KEY"),
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "print the node's answer as JSON, for scripts", Recursive = true };

    /// <summary>The action of a command: 0 when it did its work, else the <see cref="CliException"/>'s exit code.</summary>
    public Func<ParseResult, CancellationToken, Task<int>> Run(Func<ExchangeClient, Output, ParseResult, CancellationToken, Task> work) =>
        async (parse, ct) =>
        {
            try
            {
                if (!Uri.TryCreate(parse.GetValue(Url), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    throw new CliException(2, $"--url must be an http(s) address, not '{parse.GetValue(Url)}'");
                using var client = new ExchangeClient(url, parse.GetValue(Key));
                await work(client, new Output(parse.GetValue(Json)), parse, ct);
                return 0;
            }
            catch (CliException e)
            {
                Console.Error.WriteLine($"akkaex: {e.Message}");
                return e.ExitCode;
            }
        };
}
