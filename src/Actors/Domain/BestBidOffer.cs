namespace AkkaExchange.Actors.Domain;

/// <summary>The top of the book; a side with no orders is null.</summary>
public readonly record struct BestBidOffer(DepthLevel? Bid, DepthLevel? Ask);
