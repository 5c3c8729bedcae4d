using System.Text.Json;

namespace AkkaExchange.Node.Api;

/// <summary>Reads a request body as one JSON object, at most <see cref="MaxBytes"/> long.</summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<JsonDocument> ReadObjectAsync(HttpRequest request, CancellationToken cancellation)
    {
        if (request.ContentLength > MaxBytes) throw new ApiRequestException(400, "request body larger than 64 KiB");
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(length), cancellation);
            if (n == 0) break;
            length += n;
        }
        if (length > MaxBytes) throw new ApiRequestException(400, "request body larger than 64 KiB");
        return Parse(buffer.AsMemory(0, length));
    }

    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ApiRequestException(400, $"malformed JSON: {e.Message}");
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw new ApiRequestException(400, "request body must be a JSON object");
        }
        return doc;
    }
}
