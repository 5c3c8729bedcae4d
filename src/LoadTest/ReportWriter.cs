using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AkkaExchange.Messages.Diagnostics;

namespace AkkaExchange.LoadTest;

/// <summary>
/// Writes a run's report: <c>PATH.json</c> with every figure, and <c>PATH.html</c> beside it, a self-contained
/// page (inline SVG, no scripts, no downloads) with throughput over time, latency over time and the latency
/// histogram.
/// </summary>
public static class ReportWriter
{
    public sealed record Report(
        LoadOptions Options,
        DateTimeOffset StartedAt,
        double SendSeconds,
        LoadSummary Summary,
        IReadOnlyList<SecondSample> Seconds,
        LatencyHistogram Latency,
        VerificationResult? Verification);

    public static (string Json, string Html) Write(string path, Report r)
    {
        var jsonPath = Path.ChangeExtension(Path.GetFullPath(path), ".json");
        var htmlPath = Path.ChangeExtension(jsonPath, ".html");
        Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
        File.WriteAllText(jsonPath, Json(r));
        File.WriteAllText(htmlPath, Html(r));
        return (jsonPath, htmlPath);
    }

    public static string Json(Report r) => JsonSerializer.Serialize(new
    {
        profile = r.Options.Profile,
        urls = r.Options.Urls.Select(u => u.ToString()),
        transport = r.Options.Transport,
        symbols = r.Options.Symbols,
        brokers = r.Options.Brokers,
        customersPerBroker = r.Options.CustomersPerBroker,
        targetRate = r.Options.TargetRate,
        mix = r.Options.Mix.ToString(),
        startedAt = r.StartedAt,
        sendSeconds = r.SendSeconds,
        summary = new
        {
            r.Summary.Sent, r.Summary.Acked, r.Summary.Rejected, r.Summary.Errors, r.Summary.Lost, r.Summary.Throughput,
            line = r.Summary.Line(),
        },
        latencyMs = new
        {
            p50 = Ms(r.Latency.Percentile(50)), p90 = Ms(r.Latency.Percentile(90)), p99 = Ms(r.Latency.Percentile(99)),
            p999 = Ms(r.Latency.Percentile(99.9)), max = Ms(r.Latency.Max), mean = r.Latency.Mean / 1000.0,
        },
        seconds = r.Seconds,
        histogram = r.Latency.Buckets().Select(b => new { lowMicros = b.Low, highMicros = b.High, count = b.Count }),
        verification = r.Verification,
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    private static double Ms(long micros) => micros / 1000.0;

    public static string Html(Report r)
    {
        var s = r.Summary;
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>AkkaExchange load test</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}")
            .Append("th{text-align:left}h2{margin-top:1.5em}.pass{color:#080}.fail{color:#b00}svg{background:#fafafa;border:1px solid #ddd}")
            .Append("</style></head><body>");
        var passed = s.Passed(r.Options.MaxErrorRate);
        html.Append(CultureInfo.InvariantCulture, $"<h1>Load test: {Esc(r.Options.Profile)} profile — <span class=\"{(passed ? "pass" : "fail")}\">{(passed ? "passed" : "FAILED")}</span></h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{r.StartedAt:u}, {r.SendSeconds:F1} s of sending at a target of {r.Options.TargetRate:N0} orders/s to {Esc(string.Join(", ", r.Options.Urls))} over {Esc(r.Options.Transport)}; ")
            .Append(CultureInfo.InvariantCulture, $"{r.Options.Symbols} symbols, {r.Options.Brokers} brokers × {r.Options.CustomersPerBroker} customers; mix {Esc(r.Options.Mix.ToString())}.</p>");
        html.Append("<table>");
        Row(html, "sent", s.Sent.ToString("N0", CultureInfo.InvariantCulture));
        Row(html, "acknowledged", s.Acked.ToString("N0", CultureInfo.InvariantCulture));
        Row(html, "rejected (by the exchange's rules)", s.Rejected.ToString("N0", CultureInfo.InvariantCulture));
        Row(html, "errors (failures, timeouts)", s.Errors.ToString("N0", CultureInfo.InvariantCulture));
        Row(html, "lost (acknowledged, then not found)", s.Lost.ToString("N0", CultureInfo.InvariantCulture));
        Row(html, "throughput (answers/s)", s.Throughput.ToString("N0", CultureInfo.InvariantCulture));
        Row(html, "latency p50 / p90 / p99 / p99.9 / max (ms)", string.Join(" / ",
            new[] { 50, 90, 99, 99.9 }.Select(p => Ms(r.Latency.Percentile(p)).ToString("F2", CultureInfo.InvariantCulture))
                .Append(Ms(r.Latency.Max).ToString("F2", CultureInfo.InvariantCulture))));
        html.Append("</table>");
        html.Append("<p>Latency runs from the time a send was <em>scheduled</em> to the time its answer arrived: a stalled exchange shows up here as latency instead of a lower send rate.</p>");

        html.Append("<h2>Throughput over time (per second)</h2>");
        html.Append(LineChart(r.Seconds.Select(x => x.At).ToArray(),
            [("sent", "#1f77b4", r.Seconds.Select(x => (double)x.Sent).ToArray()), ("acknowledged", "#2ca02c", r.Seconds.Select(x => (double)x.Acked).ToArray())], "orders/s"));
        html.Append("<h2>Latency over time</h2>");
        html.Append(LineChart(r.Seconds.Select(x => x.At).ToArray(),
            [("p50", "#2ca02c", r.Seconds.Select(x => Ms(x.P50Micros)).ToArray()), ("p99", "#ff7f0e", r.Seconds.Select(x => Ms(x.P99Micros)).ToArray()),
             ("max", "#d62728", r.Seconds.Select(x => Ms(x.MaxMicros)).ToArray())], "ms"));
        html.Append("<h2>Latency histogram</h2>").Append(Histogram(r.Latency));
        if (r.Verification is { } v)
            html.Append(CultureInfo.InvariantCulture, $"<h2>Verification</h2><p>{v.Checked:N0} acknowledged orders looked up through the API: {v.Lost:N0} lost, {v.LookupErrors:N0} could not be looked up.</p>");
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(Esc(name)).Append("</th><td>").Append(Esc(value)).Append("</td></tr>");

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    private static string LineChart(double[] xs, (string Name, string Colour, double[] Ys)[] series, string unit)
    {
        const int w = 900, h = 260, left = 70, bottom = 30, top = 26, right = 120;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">");
        var maxX = Math.Max(1, xs.DefaultIfEmpty(1).Max());
        var maxY = Math.Max(1e-9, series.SelectMany(s => s.Ys).DefaultIfEmpty(1).Max()) * 1.1;
        double X(double x) => left + x / maxX * (w - left - right);
        double Y(double y) => h - bottom - y / maxY * (h - bottom - top);
        for (var i = 0; i <= 4; i++)
        {
            var v = maxY * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{w - right}\" y1=\"{Y(v):F1}\" y2=\"{Y(v):F1}\" stroke=\"#e5e5e5\"/>")
               .Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 5}\" y=\"{Y(v) + 4:F1}\" font-size=\"11\" text-anchor=\"end\">{(v >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture))}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{h - 8}\" font-size=\"11\">0 s</text><text x=\"{w - right}\" y=\"{h - 8}\" font-size=\"11\" text-anchor=\"end\">{maxX:F0} s</text>")
           .Append(CultureInfo.InvariantCulture, $"<text x=\"5\" y=\"14\" font-size=\"11\">{Esc(unit)}</text>");
        var legend = 0;
        foreach (var (name, colour, ys) in series)
        {
            var points = string.Join(' ', xs.Select((x, i) => string.Create(CultureInfo.InvariantCulture, $"{X(x):F1},{Y(ys[i]):F1}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{points}\"/>")
               .Append(CultureInfo.InvariantCulture, $"<text x=\"{w - right + 10}\" y=\"{20 + legend++ * 16}\" font-size=\"12\" fill=\"{colour}\">{Esc(name)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Histogram(LatencyHistogram latency)
    {
        const int w = 900, h = 260, left = 60, bottom = 30, top = 10;
        // Log-spaced bins from 10 µs to 10 s: one bar per bin, height proportional to the count.
        var edges = Enumerable.Range(0, 31).Select(i => 10 * Math.Pow(10, i / 5.0)).ToArray();
        var counts = new long[edges.Length - 1];
        foreach (var (low, high, count) in latency.Buckets())
        {
            var mid = (low + high) / 2.0;
            var bin = Array.FindIndex(edges, e => e > mid) - 1;
            counts[Math.Clamp(bin < 0 ? counts.Length - 1 : bin, 0, counts.Length - 1)] += count;
        }
        var max = Math.Max(1, counts.Max());
        var barWidth = (w - left - 20) / (double)counts.Length;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i < counts.Length; i++)
        {
            var barHeight = counts[i] / (double)max * (h - bottom - top);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{left + i * barWidth:F1}\" y=\"{h - bottom - barHeight:F1}\" width=\"{barWidth - 2:F1}\" height=\"{barHeight:F1}\" fill=\"#1f77b4\"><title>{Label(edges[i])}–{Label(edges[i + 1])}: {counts[i]:N0}</title></rect>");
            if (i % 5 == 0)
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + i * barWidth:F1}\" y=\"{h - 10}\" font-size=\"11\">{Label(edges[i])}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"5\" y=\"14\" font-size=\"11\">orders (max bar {max:N0})</text>");
        return svg.Append("</svg>").ToString();
    }

    private static string Label(double micros) =>
        micros >= 1_000_000 ? $"{micros / 1_000_000:G3} s" : micros >= 1_000 ? $"{micros / 1_000:G3} ms" : $"{micros:G3} µs";
}
