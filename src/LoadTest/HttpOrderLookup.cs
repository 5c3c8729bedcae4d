using System.Net.Http.Json;
using System.Text.Json;

namespace AkkaExchange.LoadTest;

/// <summary>Verification through <c>POST /api/v1/orders/lookup</c>, spread over the nodes; a node that does not answer is skipped for the next.</summary>
public sealed class HttpOrderLookup(IReadOnlyList<Uri> urls) : IOrderLookup, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private int _next;

    public async Task<IReadOnlyList<bool>> FindAsync(IReadOnlyList<AckedOrder> batch, CancellationToken cancellation)
    {
        var first = Interlocked.Increment(ref _next);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await FindAtAsync(urls[(first + attempt) % urls.Count], batch, cancellation);
            }
            catch (HttpRequestException) when (attempt + 1 < urls.Count * 2)
            {
                await Task.Delay(200, cancellation);
            }
        }
    }

    private async Task<IReadOnlyList<bool>> FindAtAsync(Uri url, IReadOnlyList<AckedOrder> batch, CancellationToken cancellation)
    {
        var request = new { orders = batch.Select(o => new { symbol = o.Symbol, account = o.Account, clientOrderId = o.ClientOrderId }) };
        using var response = await _http.PostAsJsonAsync(new Uri(url, "/api/v1/orders/lookup"), request, cancellation);
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
