using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace AkkaExchange.Node.Tests;

/// <summary>
/// An attacker's view: thousands of mutated order bodies (seeded, so a failure repeats) over HTTP and over one
/// order-entry session. Every answer is 200 or 400 (never a 5xx), every message gets exactly one, and the session survives.
/// </summary>
public sealed class FuzzSpecs(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private const string Valid = """{"account":"FZ-1","clientOrderId":"fz","symbol":"AAPL","side":"buy","type":"limit","price":"10.00","quantity":5,"timeInForce":"gtc","postOnly":false}""";

    private static readonly string[] Splices =
    [
        "\"", "{", "}", "[", "]", ",", ":", "\\", "\\u0000", "\\ud800", "\\udc00x", "1e309", "-0", "79228162514264337593543950335",
        "1e28", "null", "true", "[[[[[[[[[[]]]]]]]]]]", "\"side\":\"sell\",", "\"price\":\"1e28\",", "\"quantity\":9999999999999999999,",
        "\"account\":\"A\\n\",", "\"clientOrderId\":\"" + new string('x', 300) + "\",", "\u00e9", "\U0001F600", "\t", "\n",
        "\"type\":\"market\",", "\"timeInForce\":\"fok\",", "\"price\":-1,", "\"price\":0.000000001,", "\"quantity\":-5,",
    ];

    /// <summary>A valid body with 1-3 random edits: a splice inserted, a character deleted, a span duplicated.</summary>
    private static IEnumerable<string> Mutants(int seed, int count)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var s = new StringBuilder(Valid.Replace("\"fz\"", $"\"fz-{seed}-{n}\""));
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(s.Length);
                switch (random.Next(3))
                {
                    case 0: s.Insert(at, Splices[random.Next(Splices.Length)]); break;
                    case 1: s.Remove(at, 1); break;
                    default:
                        var length = Math.Min(random.Next(1, 20), s.Length - at);
                        s.Insert(at, s.ToString(at, length));
                        break;
                }
            }
            yield return s.ToString();
        }
    }

    [Fact]
    public async Task Two_thousand_mutated_HTTP_order_bodies_get_no_5xx()
    {
        var answers = new Dictionary<int, int>();
        foreach (var body in Mutants(seed: 7, count: 2_000))
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            // Every tenth body also gets a byte that is not UTF-8.
            if (body.Length % 10 == 0) bytes[bytes.Length / 2] = 0xC3;
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await fixture.Node.Http.PostAsync("/api/v1/orders", content);
            var status = (int)response.StatusCode;
            Assert.True(status is 200 or 400, $"{status} for {body}: {await response.Content.ReadAsStringAsync()}");
            answers[status] = answers.GetValueOrDefault(status) + 1;
        }
        Assert.True(answers.GetValueOrDefault(400) > 1_000, string.Join(", ", answers.Select(a => $"{a.Key}: {a.Value}")));
    }

    [Fact]
    public async Task Two_thousand_mutated_WebSocket_messages_each_get_one_answer_and_the_session_survives()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Node.Port}/ws/v1/orders"), CancellationToken.None);
        var sent = 0;
        foreach (var body in Mutants(seed: 11, count: 2_000))
        {
            // A newline inside a mutant would split it into two messages; one message per frame keeps the count exact.
            if (body.Contains('\n')) continue;
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"op\":\"place\"," + body[1..]), WebSocketMessageType.Text, true, CancellationToken.None);
            sent++;
        }
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"op\":\"place\"," + Valid.Replace("\"fz\"", "\"fz-final\"")[1..]), WebSocketMessageType.Text, true, CancellationToken.None);
        var answered = 0;
        var finalAccepted = false;
        while (answered < sent + 1)
            foreach (var line in Encoding.UTF8.GetString(await WebSocketJson.ReceiveFrameAsync(socket)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var answer = JsonDocument.Parse(line);
                var root = answer.RootElement;
                if (root.GetProperty("type").GetString() == "error") Assert.True(root.GetProperty("status").GetInt32() == 400, line);
                // Answers come as they complete, not in the order sent.
                else finalAccepted |= root.GetProperty("report").GetProperty("clientOrderId").GetString() == "fz-final";
                answered++;
            }
        Assert.Equal(sent + 1, answered);
        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.True(finalAccepted, "the valid order after the mutants was not accepted");
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_binary_message_is_that_messages_400_and_the_session_goes_on()
    {
        // In a text frame invalid UTF-8 fails the whole connection (RFC 6455 8.1, done by .NET's WebSocket itself);
        // JSON may also come in binary frames, where the node checks the encoding per message.
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Node.Port}/ws/v1/orders"), CancellationToken.None);
        var bad = Encoding.UTF8.GetBytes("{\"op\":\"place\"," + Valid.Replace("\"fz\"", "\"fz-bin\"")[1..]);
        bad[30] = 0xFF;
        await socket.SendAsync(bad, WebSocketMessageType.Binary, true, CancellationToken.None);
        var refused = await WebSocketJson.ReceiveAsync(socket);
        Assert.Equal(400, refused.GetProperty("status").GetInt32());
        Assert.Contains("UTF-8", refused.GetProperty("error").GetString());
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"op\":\"place\"," + Valid.Replace("\"fz\"", "\"fz-bin-ok\"")[1..]), WebSocketMessageType.Binary, true, CancellationToken.None);
        var accepted = await WebSocketJson.ReceiveAsync(socket);
        Assert.Equal("fz-bin-ok", accepted.GetProperty("report").GetProperty("clientOrderId").GetString());
    }
}
