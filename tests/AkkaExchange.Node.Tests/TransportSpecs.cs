using System.Net;
using System.Text;
using AkkaExchange.Messages;
using AkkaExchange.Node.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaExchange.Node.Tests;

public sealed class TransportSpecs
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("the-cluster-secret-123456");

    private static TransportServer Server(Func<IWithSymbol, CancellationToken, Task<object?>> answer)
    {
        var server = new TransportServer(new IPEndPoint(IPAddress.Loopback, 0), Secret, answer, NullLogger.Instance);
        server.Start();
        return server;
    }

    [Fact]
    public async Task Many_requests_in_flight_on_one_connection_each_get_their_own_reply()
    {
        await using var server = Server(async (request, _) =>
        {
            var book = (GetBook)request;
            await Task.Delay(book.Depth % 7);
            return new BookView(book.Symbol, book.Depth, [], [], null);
        });
        await using var peer = new PeerConnection($"127.0.0.1:{server.EndPoint.Port}", Secret, "client");
        var replies = await Task.WhenAll(Enumerable.Range(1, 500).Select(i => peer.AskAsync(new GetBook($"S{i}", i), TimeSpan.FromSeconds(10), default)));
        for (var i = 0; i < replies.Length; i++)
            Assert.Equal((object)($"S{i + 1}", (long)(i + 1)), (((BookView)replies[i]!).Symbol, ((BookView)replies[i]!).Sequence));
    }

    [Fact]
    public async Task A_peer_without_the_cluster_secret_is_refused()
    {
        var asked = 0;
        await using var server = Server((_, _) => { Interlocked.Increment(ref asked); return Task.FromResult<object?>(null); });
        await using var intruder = new PeerConnection($"127.0.0.1:{server.EndPoint.Port}", Encoding.UTF8.GetBytes("a-guessed-secret-000000"), "intruder");
        var error = await Assert.ThrowsAsync<PeerFailureException>(() => intruder.AskAsync(new GetBook("X", 1), TimeSpan.FromSeconds(5), default));
        Assert.Contains("refused", error.Message);
        Assert.Equal(0, asked);
    }

    [Fact]
    public async Task A_failure_at_the_peer_comes_back_as_a_503_and_a_lost_peer_fails_the_requests_in_flight()
    {
        var server = Server((request, _) => request.Symbol == "BAD"
            ? Task.FromException<object?>(new InvalidOperationException("moving"))
            : new TaskCompletionSource<object?>().Task);
        await using var peer = new PeerConnection($"127.0.0.1:{server.EndPoint.Port}", Secret, "client");
        var failure = await Assert.ThrowsAsync<PeerFailureException>(() => peer.AskAsync(new GetBook("BAD", 1), TimeSpan.FromSeconds(5), default));
        Assert.Equal((503, "moving"), (failure.Status, failure.Message));
        var hanging = peer.AskAsync(new GetBook("SLOW", 1), TimeSpan.FromSeconds(30), default);
        await Task.Delay(200);
        await server.DisposeAsync();
        var lost = await Assert.ThrowsAsync<PeerFailureException>(() => hanging);
        Assert.Equal(503, lost.Status);
    }
}
