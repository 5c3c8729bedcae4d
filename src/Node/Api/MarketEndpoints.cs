using AkkaExchange.Messages;

namespace AkkaExchange.Node.Api;

/// <summary>Read-only market views: books, recent trades, the symbol list.</summary>
public static class MarketEndpoints
{
    public const int MaxDepth = 1_000;
    public const int MaxTrades = 1_000;

    public static void MapMarketEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/books/{symbol}", (string symbol, int? depth, SymbolGateway gateway, CancellationToken ct) => ApiResults.Guard(async () =>
        {
            var spec = OrderRequests.Instrument(symbol, gateway.Instruments);
            var n = depth ?? 10;
            if (n is < 1 or > MaxDepth) throw new ApiRequestException(400, $"depth must be 1..{MaxDepth}");
            var view = (BookView)await gateway.AskAsync(new GetBook(spec.Symbol, n), ct);
            return Results.Json(ApiJson.Book(view, spec), ApiJson.Options);
        }));

        app.MapGet("/api/v1/trades/{symbol}", (string symbol, int? limit, SymbolGateway gateway, CancellationToken ct) => ApiResults.Guard(async () =>
        {
            var spec = OrderRequests.Instrument(symbol, gateway.Instruments);
            var n = limit ?? 50;
            if (n is < 1 or > MaxTrades) throw new ApiRequestException(400, $"limit must be 1..{MaxTrades}");
            var trades = (RecentTrades)await gateway.AskAsync(new GetTrades(spec.Symbol, n), ct);
            return Results.Json(new { symbol = spec.Symbol, trades = trades.Trades.Select(t => ApiJson.Trade(t, spec)).ToArray() }, ApiJson.Options);
        }));

        app.MapGet("/api/v1/symbols", (SymbolGateway gateway) => Results.Json(new
        {
            symbols = gateway.Instruments.Values.OrderBy(s => s.Symbol, StringComparer.Ordinal).Select(s => new
            {
                symbol = s.Symbol,
                tickSize = s.TickSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                lotSize = s.LotSize,
                minQuantity = s.MinQuantity,
                maxQuantity = s.MaxQuantity,
            }).ToArray(),
        }, ApiJson.Options));
    }
}
