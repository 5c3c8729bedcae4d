using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using AkkaExchange.Actors.Settlement;
using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.Actors.Settlement.Ledger;
using AkkaExchange.Node.Api;
using AkkaExchange.Node.Hosting;
using AkkaExchange.Node.Regions;

using AkkaExchange.Node.Security;

namespace AkkaExchange.Node.Settlement;

/// <summary>
/// Accounts, settlement notices and reconciliation, served by every node from the ledger (wherever the settlement
/// and reconciliation singletons run). Cash is shown in currency units (tick units × tick size), positions in shares.
/// <list type="bullet">
/// <item><c>GET /api/v1/accounts/{account}</c>: cash and positions.</item>
/// <item><c>GET /api/v1/accounts/{account}/settlements?after=&amp;limit=</c>: settled trades of the account, oldest first.</item>
/// <item><c>POST /api/v1/accounts/{account}/deposits</c> (admin token): an opening balance, once per reference.</item>
/// <item><c>GET /api/v1/reconciliation/runs?limit=</c>, <c>GET /api/v1/reconciliation/runs/{id}</c>: the audit table.</item>
/// <item><c>POST /api/v1/reconciliation/runs</c> (admin token, body <c>{"scope":"full"}</c> optional): runs one now and answers its report.</item>
/// <item><c>/ws/v1/accounts/{account}/settlements?after=</c>: the account's notices after <c>after</c>, then each new one
/// (<see cref="SettlementFeed"/>).</item>
/// </list>
/// </summary>
public static class SettlementEndpoints
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    public static void MapSettlementEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/accounts/{account}", (string account, HttpContext context, NodeSettings node, SettlementStore ledger, CancellationToken ct) => ApiResults.Guard(async () =>
        {
            OrderRequests.Account(account);
            MemberAccess.Authorize(context, account);
            var balances = await ledger.ReadBalancesAsync(account, ct);
            return Results.Json(new
            {
                account,
                broker = Accounts.BrokerOf(account),
                cash = Cash(node, balances.GetValueOrDefault(Accounts.Cash)),
                positions = balances.Where(b => b.Key != Accounts.Cash).ToDictionary(b => b.Key, b => b.Value),
            }, ApiJson.Options);
        }));

        app.MapGet("/api/v1/accounts/{account}/settlements", (string account, long? after, int? limit, HttpContext context, NodeSettings node, SettlementStore ledger,
            CancellationToken ct) => ApiResults.Guard(async () =>
            {
                OrderRequests.Account(account);
                MemberAccess.Authorize(context, account);
                var rows = await ledger.ReadSettlementsAsync(account, after ?? 0, Limit(limit, 1000), ct);
                return Results.Json(new { account, settlements = rows.Select(r => Json(node, r)) }, ApiJson.Options);
            }));

        app.MapPost("/api/v1/accounts/{account}/deposits", (string account, HttpRequest request, NodeSettings node, SettlementStore ledger, CancellationToken ct) =>
            ApiResults.Guard(async () =>
            {
                OrderRequests.Account(account);
                if (Accounts.IsReserved(account)) throw new ApiRequestException(400, "deposits go to customer, broker or member accounts");
                using var body = await JsonBody.ReadObjectAsync(request, ct);
                var root = body.RootElement;
                var reference = OrderRequests.RequiredString(root, "reference");
                if (reference.Length is 0 or > 64) throw new ApiRequestException(400, "reference must be 1-64 characters");
                var asset = OrderRequests.RequiredString(root, "asset");
                var amount = asset == Accounts.Cash ? CashUnits(node, root) : Shares(node, asset, root);
                bool created;
                try
                {
                    created = await ledger.DepositAsync(reference, account, asset, amount, ct);
                }
                catch (InvalidOperationException e)
                {
                    throw new ApiRequestException(409, e.Message);
                }
                return Results.Json(new { account, reference, asset, created }, ApiJson.Options, statusCode: created ? 201 : 200);
            })).AddEndpointFilter(AdminEndpoints.RequireAdminToken).AddEndpointFilter(RegionEndpoints.RequireActiveRegion);

        app.MapGet("/api/v1/reconciliation/runs", (int? limit, NodeSettings node, SettlementStore ledger, CancellationToken ct) => ApiResults.Guard(async () =>
            Results.Json(new { runs = (await ledger.ReadRunsAsync(Limit(limit, 100), null, ct)).Select(Json) }, ApiJson.Options)));

        app.MapGet("/api/v1/reconciliation/runs/{id:long}", (long id, NodeSettings node, SettlementStore ledger, CancellationToken ct) => ApiResults.Guard(async () =>
            (await ledger.ReadRunsAsync(1, id, ct)) is [var run] ? Results.Json(Json(run), ApiJson.Options) : ApiResults.Error(404, "no such run")));

        app.MapPost("/api/v1/reconciliation/runs", (HttpRequest request, NodeSettings node, SettlementStore ledger, CancellationToken ct) => ApiResults.Guard(async () =>
        {
            var scope = ReconciliationActor.SinceLastClean;
            // A body sent chunked has no length: a declared content type says there is one.
            if (request.ContentLength is > 0 || request.ContentType is not null)
            {
                using var body = await JsonBody.ReadObjectAsync(request, ct);
                if (body.RootElement.TryGetProperty("scope", out var s))
                    scope = s.ValueKind == System.Text.Json.JsonValueKind.String && s.GetString() is ReconciliationActor.Full or ReconciliationActor.SinceLastClean
                        ? s.GetString()!
                        : throw new ApiRequestException(400, "scope must be \"full\" or \"since-last-clean\"");
            }
            // The reconciliation singleton may run on another node: it picks the request up from the ledger.
            var requestId = Guid.NewGuid().ToString("N");
            await ledger.RequestRunAsync(requestId, scope, ct);
            var deadline = DateTime.UtcNow + RunTimeout;
            long? id;
            while ((id = await ledger.RunOfRequestAsync(requestId, ct)) is null)
            {
                // The request stays queued: the run still happens and lands in the audit table.
                if (DateTime.UtcNow > deadline) return ApiResults.Error(504, $"no reconciliation run answered request {requestId} yet; see GET /api/v1/reconciliation/runs");
                await Task.Delay(100, ct);
            }
            var run = (await ledger.ReadRunsAsync(1, id, ct))[0];
            return Results.Json(Json(run), ApiJson.Options, statusCode: 201);
        })).AddEndpointFilter(AdminEndpoints.RequireAdminToken).AddEndpointFilter(RegionEndpoints.RequireActiveRegion);

        app.Map("/ws/v1/accounts/{account}/settlements", async (string account, HttpContext context, NodeSettings node, SettlementStore ledger, SettlementFeed feed, SessionLimits limits) =>
        {
            if (!context.WebSockets.IsWebSocketRequest || !long.TryParse(context.Request.Query["after"].FirstOrDefault() ?? "0", out var after) ||
                !OrderRequests.IsAccount(account))
            {
                await ApiResults.Error(400, "expected a WebSocket request for a valid account, with an optional numeric ?after=").ExecuteAsync(context);
                return;
            }
            using var slot = await limits.AdmitAsync(context, () =>
            {
                MemberAccess.RequireSameOrigin(context);
                MemberAccess.Authorize(context, account);
            });
            if (slot is null) return;
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            _ = MarketDataSocket.DrainIncomingAsync(socket, closing);
            using var sender = new TimedSender(socket, context, closing.Token);
            try
            {
                // Subscribe first, then catch up from the ledger: together they miss nothing; numbers seen twice are skipped.
                using var live = await feed.SubscribeAsync(account, closing.Token);
                async Task SendAsync(SettlementRecord r)
                {
                    await sender.SendAsync(new { type = "settlement", settlement = Json(node, r) });
                    after = r.Seq;
                }
                IReadOnlyList<SettlementRecord> rows;
                while ((rows = await ledger.ReadSettlementsAsync(account, after, 500, closing.Token)).Count > 0)
                    foreach (var r in rows) await SendAsync(r);
                await foreach (var r in live.Reader.ReadAllAsync(closing.Token))
                    if (r.Seq > after) await SendAsync(r);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }
            catch (System.Threading.Channels.ChannelClosedException e)
            {
                await WebSocketText.CloseAsync(context, socket, WebSocketCloseStatus.PolicyViolation, (e.InnerException ?? e).Message);
                return;
            }
            await WebSocketText.CloseAsync(context, socket, WebSocketCloseStatus.NormalClosure, "bye");
        });
    }

    private static int Limit(int? limit, int max) =>
        limit is null ? max : limit is >= 1 && limit <= max ? limit.Value : throw new ApiRequestException(400, $"limit must be 1-{max}");

    private static decimal Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && OrderRequests.TryReadDecimal(v, out var d) && d > 0
            ? d
            : throw new ApiRequestException(400, $"{name} must be a positive number");

    private static long CashUnits(NodeSettings node, JsonElement root)
    {
        var amount = Number(root, "amount");
        var units = amount / node.Options.TickSize;
        return units == decimal.Truncate(units) && units <= long.MaxValue / 4
            ? (long)units
            : throw new ApiRequestException(400, $"amount must be a whole multiple of the tick size {node.Options.TickSize}");
    }

    private static long Shares(NodeSettings node, string asset, JsonElement root)
    {
        if (!node.Instruments.ContainsKey(asset)) throw new ApiRequestException(400, "asset must be CASH or a listed symbol");
        var amount = Number(root, "amount");
        return amount == decimal.Truncate(amount) && amount <= long.MaxValue / 4 ? (long)amount : throw new ApiRequestException(400, "shares are whole numbers");
    }

    private static string Cash(NodeSettings node, long units) => (units * node.Options.TickSize).ToString(CultureInfo.InvariantCulture);

    private static object Json(NodeSettings node, SettlementRecord r) => new
    {
        seq = r.Seq, account = r.Notice.Account, symbol = r.Notice.Symbol, tradeId = r.Notice.TradeId, side = ApiJson.Word(r.Notice.Side),
        quantity = r.Notice.Quantity, price = Cash(node, r.Notice.Price), cash = Cash(node, r.Notice.Cash), fee = Cash(node, r.Notice.Fee),
        tradedAt = r.Notice.TradedAt, settledAt = r.SettledAt,
    };

    private static object Json(ReconciliationRun r) => new
    {
        runId = r.RunId, trigger = r.Trigger, scope = r.Scope, startedAt = r.StartedAt, finishedAt = r.FinishedAt, durationMs = r.DurationMs,
        windowFrom = r.WindowFrom, windowTo = r.WindowTo, tradesChecked = r.TradesChecked, missing = r.Missing, replayed = r.Replayed,
        mismatched = r.Mismatched, extra = r.Extra, imbalancedAssets = r.ImbalancedAssets, positionBreaks = r.PositionBreaks, outcome = r.Outcome,
        details = r.Details.Length == 0 ? [] : r.Details.Split('\n'),
    };
}
