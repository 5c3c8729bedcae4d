using System.Net;
using System.Text;
using System.Text.Json;

namespace AkkaExchange.Node.Tests;

/// <summary>Bad input gets 400 with a reason and changes nothing; good input gets the documented shapes.</summary>
public sealed class ApiValidationSpecs(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private HttpClient Http => fixture.Node.Http;

    private async Task<long> SequenceAsync(string symbol)
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync($"/api/v1/books/{symbol}"));
        return doc.RootElement.GetProperty("sequence").GetInt64();
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    public static TheoryData<string, string> BadOrders() => new()
    {
        { "{\"account\":\"A1\",\"clientOrderId\":", "malformed JSON" },
        { "[1,2]", "must be a JSON object" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":"ten"}""", "quantity must be a whole number" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":1.5}""", "quantity must be a whole number" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":5,"postOnly":"yes"}""", "postOnly must be true or false" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":5,"colour":"red"}""", "unknown field 'colour'" },
        { """{"account":"A1","clientOrderId":"x","symbol":"ZZZZ","side":"buy","price":"10.00","quantity":5}""", "unknown symbol" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.001","quantity":5}""", "on the symbol's tick" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":0,"quantity":5}""", "price must be positive" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"-1","quantity":5}""", "price must be a decimal" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":0}""", "quantity must be a positive integer" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":1000001}""", "quantity must be a positive integer" },
        { """{"account":"bad account!","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""", "account must be" },
        { """{"account":"A1","clientOrderId":"","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""", "clientOrderId must be" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"up","price":"10.00","quantity":5}""", "side must be buy or sell" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","quantity":5}""", "price is required" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","type":"market","price":"1.00","quantity":5}""", "market order takes no price" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","type":"market","timeInForce":"gtc","quantity":5}""", "market orders must be ioc or fok" },
        { """{"clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""", "account is required" },
        // Found by a fuzzer (issue 11): each of these used to be a 500 or to journal something it should not.
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"79228162514264337593543950335","quantity":5}""", "price must be positive" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":1e28,"quantity":5}""", "price must be positive" },
        { """{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","side":"sell","price":"10.00","quantity":5}""", "field 'side' given twice" },
        { """{"account":"A1","clientOrderId":"\ud800","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""", "not valid Unicode" },
        { """{"\ud800":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""", "not valid Unicode" },
        { """{"account":"A1\n","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""", "account must be" },
        { """{"account":"A1","clientOrderId":"abc\n","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""", "clientOrderId must be" },
    };

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task A_body_that_is_not_declared_JSON_is_refused_with_415(string? contentType)
    {
        var before = await SequenceAsync("AAPL");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"account":"A1","clientOrderId":"form-1","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}"""));
        if (contentType is not null) content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await Http.PostAsync("/api/v1/orders", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await SequenceAsync("AAPL"));
    }

    [Fact]
    public async Task A_body_that_is_not_UTF8_is_refused()
    {
        var before = await SequenceAsync("AAPL");
        var bytes = Encoding.UTF8.GetBytes("""{"account":"A1","clientOrderId":"x","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""");
        bytes[20] = 0xFF;
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync("/api/v1/orders", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await SequenceAsync("AAPL"));
    }

    [Theory]
    [MemberData(nameof(BadOrders))]
    public async Task Bad_order_input_is_refused_with_a_reason_and_journals_nothing(string body, string reason)
    {
        await AssertRefusedAsync("/api/v1/orders", body, reason);
    }

    /// <summary>Posts <paramref name="body"/>: a 400 whose error names <paramref name="reason"/>, and AAPL's journal did not move.</summary>
    private async Task AssertRefusedAsync(string path, string body, string reason)
    {
        var before = await SequenceAsync("AAPL");
        using var response = await PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, error.RootElement.GetProperty("error").GetString());
        Assert.Equal(before, await SequenceAsync("AAPL"));
    }

    [Theory]
    [InlineData("""{"price":"79228162514264337593543950335"}""", "price must be positive")]
    [InlineData("""{"price":1e28}""", "price must be positive")]
    [InlineData("""{"quantity":1,"quantity":2}""", "field 'quantity' given twice")]
    public async Task Bad_amend_input_is_refused_with_a_reason_and_changes_nothing(string body, string reason)
    {
        using var placed = await PostAsync("/api/v1/orders",
            """{"account":"AM-1","clientOrderId":"amend-me","symbol":"AAPL","side":"buy","price":"10.00","quantity":5}""");
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        await AssertRefusedAsync("/api/v1/orders/AM-1/amend-me/amend", body, reason);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_refused()
    {
        var body = "{\"account\":\"A1\",\"clientOrderId\":\"" + new string('x', 70_000) + "\"}";
        using var response = await PostAsync("/api/v1/orders", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("64 KiB", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_order_is_404_and_unknown_symbol_book_is_400()
    {
        using var order = await Http.GetAsync("/api/v1/orders/A1/never-sent");
        Assert.Equal(HttpStatusCode.NotFound, order.StatusCode);
        using var cancel = await Http.DeleteAsync("/api/v1/orders/A1/never-sent");
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        using var book = await Http.GetAsync("/api/v1/books/NOPE");
        Assert.Equal(HttpStatusCode.BadRequest, book.StatusCode);
        using var depth = await Http.GetAsync("/api/v1/books/AAPL?depth=0");
        Assert.Equal(HttpStatusCode.BadRequest, depth.StatusCode);
    }

    [Fact]
    public async Task Crossing_orders_trade_and_show_in_book_trades_and_order_views()
    {
        using (var sell = await PostAsync("/api/v1/orders", """{"account":"V-S","clientOrderId":"s1","symbol":"MSFT","side":"sell","price":"410.50","quantity":100}"""))
            Assert.Equal(HttpStatusCode.OK, sell.StatusCode);
        using var buy = await PostAsync("/api/v1/orders", """{"account":"V-B","clientOrderId":"b1","symbol":"MSFT","side":"buy","price":410.55,"quantity":30}""");
        using var report = JsonDocument.Parse(await buy.Content.ReadAsStringAsync());
        Assert.Equal("filled", report.RootElement.GetProperty("status").GetString());
        Assert.Equal("410.50", report.RootElement.GetProperty("fills")[0].GetProperty("price").GetString());

        using var book = JsonDocument.Parse(await Http.GetStringAsync("/api/v1/books/MSFT?depth=5"));
        var ask = book.RootElement.GetProperty("asks")[0];
        Assert.Equal(("410.50", 70, 1), (ask.GetProperty("price").GetString(), ask.GetProperty("quantity").GetInt32(), ask.GetProperty("orders").GetInt32()));
        using var trades = JsonDocument.Parse(await Http.GetStringAsync("/api/v1/trades/MSFT?limit=5"));
        Assert.Equal(30, trades.RootElement.GetProperty("trades")[0].GetProperty("quantity").GetInt32());

        using var amend = await PostAsync("/api/v1/orders/V-S/s1/amend", """{"quantity":80}""");
        using var amended = JsonDocument.Parse(await amend.Content.ReadAsStringAsync());
        Assert.Equal((80, 50), (amended.RootElement.GetProperty("quantity").GetInt32(), amended.RootElement.GetProperty("leavesQuantity").GetInt32()));
        using var cancel = await Http.DeleteAsync("/api/v1/orders/V-S/s1");
        using var cancelled = JsonDocument.Parse(await cancel.Content.ReadAsStringAsync());
        Assert.Equal(("cancelled", "user"), (cancelled.RootElement.GetProperty("status").GetString(), cancelled.RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_domain_rejection_is_an_order_with_status_rejected_and_its_reason()
    {
        await PostAsync("/api/v1/orders", """{"account":"P-S","clientOrderId":"s1","symbol":"TSLA","side":"sell","price":"200.00","quantity":10}""");
        using var response = await PostAsync("/api/v1/orders", """{"account":"P-B","clientOrderId":"p1","symbol":"TSLA","side":"buy","price":"200.00","quantity":10,"postOnly":true}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(("rejected", "post-only order would take liquidity"),
            (report.RootElement.GetProperty("status").GetString(), report.RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Health_and_symbols_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/health/ready")).StatusCode);
        using var symbols = JsonDocument.Parse(await Http.GetStringAsync("/api/v1/symbols"));
        Assert.Equal(["AAPL", "MSFT", "NVDA", "TSLA"], symbols.RootElement.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("symbol").GetString()));
    }
}
