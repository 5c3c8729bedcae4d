using System.Text.Json;

namespace AkkaExchange.Node.Api;

/// <summary>Reads a request body (<c>Content-Type: application/json</c>, else 415) as one JSON object, at most <see cref="MaxBytes"/> long, checked as <see cref="Parse"/> says.</summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<JsonDocument> ReadObjectAsync(HttpRequest request, CancellationToken cancellation)
    {
        // A web page can POST form or text bodies to any address without the browser asking first; it cannot send
        // application/json across sites without a CORS preflight, which this node never grants.
        if (!System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            throw new ApiRequestException(415, "Content-Type must be application/json");
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

    /// <summary>
    /// Parses one JSON object, refusing with a 400 and a reason what the API cannot take as it is: bytes that are not
    /// UTF-8, strings or names that are not valid text (a lone surrogate such as <c>"\ud800"</c>), and a name given
    /// twice in one object (<c>{"side":"buy","side":"sell"}</c> must not silently mean the last).
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span)) throw new ApiRequestException(400, "request is not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ApiRequestException(400, $"malformed JSON: {e.Message}");
        }
        try
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ApiRequestException(400, "request body must be a JSON object");
            Check(doc.RootElement);
            return doc;
        }
        catch
        {
            doc.Dispose();
            throw;
        }
    }

    private static void Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? names = null;
                foreach (var p in element.EnumerateObject())
                {
                    var name = Name(p);
                    if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                        throw new ApiRequestException(400, $"field '{(name.Length <= 40 ? name : name[..40] + "...")}' given twice");
                    Check(p.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Check(item);
                break;
            case JsonValueKind.String:
                try
                {
                    element.GetString();
                }
                catch (InvalidOperationException)
                {
                    throw NotUnicode();
                }
                break;
        }
    }

    // System.Text.Json decodes escapes lazily and throws when one is not valid UTF-16 (a lone surrogate).
    private static string Name(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw NotUnicode();
        }
    }

    private static ApiRequestException NotUnicode() =>
        new(400, "request holds text that is not valid Unicode (a lone surrogate escape?)");
}
