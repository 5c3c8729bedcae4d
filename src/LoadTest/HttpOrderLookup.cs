using System.Net.Http.Json;
using System.Text.Json;

namespace AkkaExchange.LoadTest;

/// <summary>
/// Verification through <c>POST /api/v1/orders/lookup</c>, spread over the nodes; a node that does not answer is
/// skipped for the next. With member keys each member's orders are looked up with its own key.
/// </summary>
public sealed class HttpOrderLookup(IReadOnlyList<Uri> urls, IReadOnlyDictionary<string, string>? memberKeys = null) : IOrderLookup, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private int _next;

    public async Task<IReadOnlyList<bool>> FindAsync(IReadOnlyList<AckedOrder> batch, CancellationToken cancellation)
    {
        if (memberKeys is null) return await FindAsync(batch, null, cancellation);
        var found = new bool[batch.Count];
        foreach (var member in Enumerable.Range(0, batch.Count).GroupBy(i => MemberKeyFile.MemberOf(batch[i].Account)))
        {
            var indices = member.ToArray();
            var key = memberKeys.TryGetValue(member.Key, out var k) ? k : throw new InvalidOperationException($"no key for member {member.Key}");
            var results = await FindAsync(indices.Select(i => batch[i]).ToArray(), key, cancellation);
            for (var j = 0; j < indices.Length; j++) found[indices[j]] = results[j];
        }
        return found;
    }

    private async Task<IReadOnlyList<bool>> FindAsync(IReadOnlyList<AckedOrder> batch, string? key, CancellationToken cancellation)
    {
        var first = Interlocked.Increment(ref _next);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await FindAtAsync(urls[(first + attempt) % urls.Count], batch, key, cancellation);
            }
            catch (HttpRequestException) when (attempt + 1 < urls.Count * 2)
            {
                await Task.Delay(200, cancellation);
            }
        }
    }

    private async Task<IReadOnlyList<bool>> FindAtAsync(Uri url, IReadOnlyList<AckedOrder> batch, string? key, CancellationToken cancellation)
    {
        var body = new { orders = batch.Select(o => new { symbol = o.Symbol, account = o.Account, clientOrderId = o.ClientOrderId }) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "/api/v1/orders/lookup")) { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await _http.SendAsync(request, cancellation);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"lookup answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellation)}");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellation));
        var results = doc.RootElement.GetProperty("orders");
        var found = new bool[batch.Count];
        var i = 0;
        foreach (var r in results.EnumerateArray())
        {
            found[i] = r.GetProperty("status").GetString() != "unknown" && r.GetProperty("orderId").GetInt64() == batch[i].OrderId;
            i++;
        }
        if (i != batch.Count) throw new InvalidOperationException($"lookup returned {i} results for {batch.Count} orders");
        return found;
    }

    public void Dispose() => _http.Dispose();
}
