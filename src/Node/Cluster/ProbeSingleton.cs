using AkkaExchange.Actors.Persistence;
using AkkaExchange.Actors.Kernel;

namespace AkkaExchange.Node.Cluster;

/// <summary>The smallest singleton: it answers <see cref="WhereAreYou"/> with the node and epoch it runs under.</summary>
public sealed class ProbeSingleton(SingletonToken token) : Actor
{
    public const string Name = "probe";

    protected override ValueTask ReceiveAsync(Envelope envelope)
    {
        if (envelope.Message is WhereAreYou) envelope.Reply(token);
        return ValueTask.CompletedTask;
    }
}
