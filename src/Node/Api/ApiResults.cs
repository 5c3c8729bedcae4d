using AkkaExchange.Messages;

namespace AkkaExchange.Node.Api;

/// <summary>Shared ways of answering: errors as <c>{"error": reason}</c>, symbol replies as JSON.</summary>
public static class ApiResults
{
    public static IResult Error(int status, string message) => Results.Json(ApiJson.Error(message), ApiJson.Options, statusCode: status);

    /// <summary>Runs a handler, turning a refused request into its status and reason.</summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (ApiRequestException e)
        {
            return Error(e.Status, e.Message);
        }
    }

    /// <summary>The HTTP answer to a symbol's reply to an order command.</summary>
    public static IResult OrderReply(object? reply, SymbolGateway gateway) => reply switch
    {
        OrderReport r => Results.Bytes(ApiJson.ReportBytes(r, gateway.Instruments[r.Symbol]), "application/json"),
        CommandRejected { Reason: RejectReason.UnknownOrder } c => Error(404, RejectReasonText.Of(c.Reason)),
        CommandRejected { Reason: RejectReason.DuplicateClientOrderId } c => Error(409, RejectReasonText.Of(c.Reason)),
        CommandRejected c => Error(400, RejectReasonText.Of(c.Reason)),
        _ => Error(500, "unexpected reply"),
    };
}
