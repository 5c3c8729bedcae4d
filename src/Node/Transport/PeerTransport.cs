using System.Collections.Concurrent;

namespace AkkaExchange.Node.Transport;

/// <summary>This node's connections to its peers, one per peer transport address, made on first use.</summary>
public sealed class PeerTransport(byte[] secret, string selfId, Action<AkkaExchange.Messages.IMarketDataUpdate>? onMarketData = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, PeerConnection> _peers = new(StringComparer.Ordinal);

    public PeerConnection To(string address) => _peers.GetOrAdd(address, a => new PeerConnection(a, secret, selfId, onMarketData));

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers.Values) await peer.DisposeAsync();
    }
}
