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
        CommandRejected c => Error(StatusOf(c.Reason), RejectReasonText.Of(c.Reason)),
        _ => Error(500, "unexpected reply"),
    };

    /// <summary>The HTTP status of a refusal: 404 unknown order, 409 a clientOrderId reused, 500 a defect, else 400.</summary>
    public static int StatusOf(RejectReason reason) => reason switch
    {
        RejectReason.UnknownOrder => 404,
        RejectReason.DuplicateClientOrderId => 409,
        RejectReason.Unprocessable => 500,
        RejectReason.Unavailable => 503,
        _ => 400,
    };
}
