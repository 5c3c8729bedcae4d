namespace AkkaExchange.Node.Api;

/// <summary>A request the API refuses before anything is sent to a symbol; becomes <c>{"error": message}</c> with the status.</summary>
public sealed class ApiRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
