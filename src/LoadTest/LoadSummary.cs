using System.Globalization;
using System.Text.RegularExpressions;

namespace AkkaExchange.LoadTest;

/// <summary>
/// The result of a run and its last output line (a contract other tools parse):
/// <c>load: sent=&lt;N&gt; acked=&lt;N&gt; rejected=&lt;N&gt; errors=&lt;N&gt; lost=&lt;N&gt; throughput=&lt;N&gt;/s p50=&lt;X&gt;ms p99=&lt;Y&gt;ms p999=&lt;Z&gt;ms</c>.
/// </summary>
public sealed partial record LoadSummary(long Sent, long Acked, long Rejected, long Errors, long Lost, long Throughput,
    double P50Ms, double P99Ms, double P999Ms)
{
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"load: sent={Sent} acked={Acked} rejected={Rejected} errors={Errors} lost={Lost} throughput={Throughput}/s p50={P50Ms:F2}ms p99={P99Ms:F2}ms p999={P999Ms:F2}ms");

    /// <summary>True when the run passes: nothing lost and errors within the allowed share of what was sent.</summary>
    public bool Passed(double maxErrorRate) => Lost == 0 && Errors <= Math.Max(0, Sent) * maxErrorRate;

    [GeneratedRegex(@"^load: sent=(\d+) acked=(\d+) rejected=(\d+) errors=(\d+) lost=(\d+) throughput=(\d+)/s p50=([\d.]+)ms p99=([\d.]+)ms p999=([\d.]+)ms$")]
    private static partial Regex Pattern();

    public static LoadSummary? Parse(string line)
    {
        var m = Pattern().Match(line.Trim());
        if (!m.Success) return null;
        long L(int i) => long.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        double D(int i) => double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        return new LoadSummary(L(1), L(2), L(3), L(4), L(5), L(6), D(7), D(8), D(9));
    }
}
