using System.Net;
using System.Text;
using System.Text.Json;

namespace AkkaExchange.LoadTest;

/// <summary>The convenience path: one HTTP request per order (keep-alive connections, many in flight), with the broker's member key when given.</summary>
public sealed class HttpTransport(IReadOnlyList<Uri> urls, int connectionsPerUrl, string[]? brokerKeys, Action<ReportFrame> onFrame) : IOrderTransport
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = connectionsPerUrl * 16 })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Task ConnectAsync(CancellationToken cancellation) => Task.CompletedTask;

    public void Send(int lane, OutgoingOrder order) => _ = SendAsync(urls[lane % urls.Count], brokerKeys?[lane], order);

    private async Task SendAsync(Uri baseUrl, string? key, OutgoingOrder order)
    {
        try
        {
            var path = $"/api/v1/orders/{order.Account}/{Uri.EscapeDataString(order.ClientOrderId)}";
            using var request = order.Kind switch
            {
                OrderKind.Cancel => new HttpRequestMessage(HttpMethod.Delete, new Uri(baseUrl, $"{path}?symbol={order.Symbol}")),
                OrderKind.Amend => new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, $"{path}/amend?symbol={order.Symbol}"))
                {
                    Content = new StringContent(order.HttpBody, Encoding.UTF8, "application/json"),
                },
                _ => new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "/api/v1/orders"))
                {
                    Content = new StringContent(order.HttpBody, Encoding.UTF8, "application/json"),
                },
            };
            if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var doc = JsonDocument.Parse(body);
                onFrame(FrameParser.Report(doc.RootElement));
            }
            else
            {
                onFrame(FrameParser.Error(order.ClientOrderId, (int)response.StatusCode, Encoding.UTF8.GetString(body)));
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            onFrame(FrameParser.Error(order.ClientOrderId, 599, e.Message));
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
