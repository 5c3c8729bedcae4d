namespace AkkaExchange.Cli;

/// <summary>A command that cannot be done, with the reason to print and the exit code to end with.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    /// <summary>1: the exchange refused; 3: no node answered; 4: the operator key is missing or wrong.</summary>
    public int ExitCode { get; } = exitCode;
}
