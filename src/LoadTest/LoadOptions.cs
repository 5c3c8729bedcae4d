using System.Globalization;

namespace AkkaExchange.LoadTest;

/// <summary>
/// What a run does. Profile <c>aex</c> (default): 100 symbols, 100 broker/dealers with 100 customers each, every
/// customer sending one order a second (10,000 orders/s). Profile <c>custom</c> starts from the same numbers;
/// every switch overrides one of them.
/// </summary>
public sealed record LoadOptions
{
    public string Profile { get; init; } = "aex";
    public IReadOnlyList<Uri> Urls { get; init; } = [new("http://127.0.0.1:5000")];
    public int Seconds { get; init; } = 30;

    /// <summary>Seconds at the start whose latencies are left out of the figures (JIT, connection set-up); everything is still sent and verified.</summary>
    public int WarmupSeconds { get; init; } = 5;
    public int Symbols { get; init; } = 100;
    public int Brokers { get; init; } = 100;
    public int CustomersPerBroker { get; init; } = 100;
    public double OrdersPerCustomerPerSecond { get; init; } = 1.0;
    public OrderMix Mix { get; init; } = OrderMix.Aex;
    public string Transport { get; init; } = "ws";
    public int ConnectionsPerUrl { get; init; } = 4;

    /// <summary>Members' keys (<see cref="MemberKeyFile"/>) for a node that requires them; null against an open node.</summary>
    public string? KeysFile { get; init; }
    public string? ReportPath { get; init; }
    public double MaxErrorRate { get; init; } = 0.001;
    public bool Verify { get; init; } = true;
    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>Cash (currency units) each customer is credited before the run; null: none (see <see cref="OpeningBalances"/>).</summary>
    public decimal? OpeningCash { get; init; }

    /// <summary>Shares of every symbol each customer is credited before the run; null: none.</summary>
    public long? OpeningShares { get; init; }

    public int Customers => Brokers * CustomersPerBroker;
    public double TargetRate => Customers * OrdersPerCustomerPerSecond;

    public const string Usage = """
        usage: AkkaExchange.LoadTest [--profile aex|custom] [--url URL[,URL...]] [--seconds N] [--warmup N]
               [--symbols N] [--brokers N] [--customers N] [--rate-per-customer R | --rate TOTAL]
               [--mix limit=60,market=10,ioc=10,cancel=15,amend=5] [--transport ws|http] [--connections N]
               [--report PATH.json] [--max-error-rate F] [--no-verify] [--seed N] [--keys-file FILE]
               [--opening-cash AMOUNT] [--opening-shares N]   (need AKKAEX_ADMIN_TOKEN)
        """;

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        double? totalRate = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--no-verify")
            {
                o = o with { Verify = false };
                continue;
            }
            if (name is "-h" or "--help") throw new ArgumentException(Usage);
            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value\n{Usage}");
            var value = args[++i];
            if (name == "--rate")
            {
                totalRate = Double(name, value);
                continue;
            }
            o = name switch
            {
                "--profile" => value is "aex" or "custom" ? o with { Profile = value } : throw new ArgumentException("--profile must be aex or custom"),
                "--url" => o with { Urls = value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseUrl).ToArray() },
                "--seconds" => o with { Seconds = Int(name, value, 1, 86_400) },
                "--warmup" => o with { WarmupSeconds = Int(name, value, 0, 3_600) },
                "--symbols" => o with { Symbols = Int(name, value, 1, 10_000) },
                "--brokers" => o with { Brokers = Int(name, value, 1, 10_000) },
                "--customers" => o with { CustomersPerBroker = Int(name, value, 1, 100_000) },
                "--rate-per-customer" => o with { OrdersPerCustomerPerSecond = Double(name, value) },
                "--mix" => o with { Mix = OrderMix.Parse(value) },
                "--transport" => value is "ws" or "http" ? o with { Transport = value } : throw new ArgumentException("--transport must be ws or http"),
                "--connections" => o with { ConnectionsPerUrl = Int(name, value, 1, 256) },
                "--report" => o with { ReportPath = value },
                "--keys-file" => o with { KeysFile = value },
                "--max-error-rate" => o with { MaxErrorRate = Double(name, value) },
                "--seed" => o with { Seed = Int(name, value, 0, int.MaxValue) },
                "--opening-cash" => o with { OpeningCash = decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cash) && cash > 0
                    ? cash : throw new ArgumentException("--opening-cash must be a positive amount") },
                "--opening-shares" => o with { OpeningShares = Int(name, value, 1, 1_000_000_000) },
                _ => throw new ArgumentException($"unknown option {name}\n{Usage}"),
            };
        }
        if (totalRate is { } rate) o = o with { OrdersPerCustomerPerSecond = rate / o.Customers };
        if (o.Profile == "aex" && (o.Symbols, o.Brokers, o.CustomersPerBroker) != (100, 100, 100))
            throw new ArgumentException("the aex profile is 100 symbols, 100 brokers, 100 customers each: use --profile custom to change them");
        return o;
    }

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
            ? u
            : throw new ArgumentException($"--url: '{text}' is not an http(s) URL");

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new ArgumentException($"{name} must be a whole number in {min}..{max}, not '{value}'");

    private static double Double(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
            ? v
            : throw new ArgumentException($"{name} must be a positive number, not '{value}'");
}
