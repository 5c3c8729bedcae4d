using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AkkaExchange.Cli;

/// <summary>
/// The node's HTTP API as the CLI uses it: <c>--url</c> (or <c>AKKAEX_URL</c>) with the operator key (<c>--key</c> or
/// <c>AKKAEX_ADMIN_KEY</c>) when given. Every failure becomes a <see cref="CliException"/> that says what to do.
/// </summary>
public sealed class ExchangeClient(Uri node, string? key) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Node => node;

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, node, path, null, ct);

    /// <summary>A text resource (the Prometheus scrape).</summary>
    public Task<string> GetTextAsync(string path, CancellationToken ct) => SendTextAsync(HttpMethod.Get, node, path, null, ct);

    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken ct) => SendAsync(HttpMethod.Post, node, path, body, ct);

    /// <summary>The same call against another node (a member's own HTTP address, e.g. to make it leave).</summary>
    public Task<JsonElement> PostAtAsync(Uri other, string path, CancellationToken ct) => SendAsync(HttpMethod.Post, other, path, null, ct);

    private async Task<JsonElement> SendAsync(HttpMethod method, Uri at, string path, object? body, CancellationToken ct)
    {
        var text = await SendTextAsync(method, at, path, body, ct);
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException(1, $"{at}{path} did not answer JSON (is this an AkkaExchange node?)");
        }
    }

    /// <summary>The body of a successful answer; every failure a <see cref="CliException"/> with its exit code.</summary>
    private async Task<string> SendTextAsync(HttpMethod method, Uri at, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(at, path));
        if (key is { Length: > 0 }) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new CliException(3, $"no answer from {at} ({e.Message}); is a node running there? (--url or AKKAEX_URL)");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new CliException(4, $"{(int)response.StatusCode} from {at}: {Reason(text)} (the operator key: --key or AKKAEX_ADMIN_KEY)");
            if (!response.IsSuccessStatusCode)
                throw new CliException(1, $"{(int)response.StatusCode} from {at}{path}: {Reason(text)}");
            return text;
        }
    }

    private static string Reason(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    public void Dispose() => _http.Dispose();
}
