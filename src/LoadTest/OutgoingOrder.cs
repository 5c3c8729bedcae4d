namespace AkkaExchange.LoadTest;

/// <summary>One request, ready for either transport: the WebSocket message and what HTTP needs to route it.</summary>
public sealed record OutgoingOrder(OrderKind Kind, string Symbol, string Account, string ClientOrderId, string WebSocketJson, string HttpBody, bool Buy = false);
