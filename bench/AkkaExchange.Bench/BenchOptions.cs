namespace AkkaExchange.Bench;

/// <summary>Command-line options shared by the benchmarks: <c>&lt;name&gt; [--seconds N] [--key value]...</c>.</summary>
internal sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    private BenchOptions(string name) => Name = name;

    public string Name { get; }

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
            throw new ArgumentException("usage: matching|durable|cluster|settlement|dr [--seconds N] [--journal sqlite|postgres|memory] [--clients N] [--nodes N] [--seed N] [--trades N] [--rate N] [--kind failover|rotate] [--mode sync|async]");
        var options = new BenchOptions(args[0]);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --name value at '{args[i]}'");
            options._values[args[i][2..]] = args[++i];
        }
        return options;
    }

    public int Int(string key, int fallback)
    {
        if (!_values.TryGetValue(key, out var text)) return fallback;
        return int.TryParse(text, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"--{key} must be a non-negative integer, not '{text}'");
    }

    public string Text(string key, string fallback) => _values.GetValueOrDefault(key, fallback);
}
