namespace AkkaExchange.Node.Regions;

/// <summary>What a peer region's node said when last asked (<c>GET /region</c>); <paramref name="Reachable"/> false when it did not answer.</summary>
public sealed record PeerRegion(string Region, string Url, bool Reachable, string? Role, string? ActiveRegion, long? Epoch);
