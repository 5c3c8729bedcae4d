namespace AkkaExchange.Messages;

/// <summary>
/// How a node refuses a request (503) while its symbols recover from the journal — at start-up, or just after its
/// region took over: a stable text, part of the API; a client sends the same request again shortly.
/// </summary>
public static class Recovering
{
    public const string Text = "exchange is recovering; retry shortly";
}
