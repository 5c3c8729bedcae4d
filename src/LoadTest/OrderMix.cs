namespace AkkaExchange.LoadTest;

/// <summary>
/// The shares of each kind of message a customer sends, e.g. <c>limit=60,market=10,ioc=10,cancel=15,amend=5</c>.
/// Cancels and amends need a resting order of the customer's; without one the customer sends a limit order.
/// </summary>
public sealed record OrderMix(int Limit, int Market, int Ioc, int Cancel, int Amend)
{
    /// <summary>The AEX workload: orders (mostly limit) and a few cancels that keep the books from growing without end.</summary>
    public static OrderMix Aex { get; } = new(85, 5, 5, 5, 0);

    public int Total => Limit + Market + Ioc + Cancel + Amend;

    public OrderKind Pick(Random rng)
    {
        var roll = rng.Next(Total);
        if ((roll -= Limit) < 0) return OrderKind.Limit;
        if ((roll -= Market) < 0) return OrderKind.Market;
        if ((roll -= Ioc) < 0) return OrderKind.Ioc;
        return roll - Cancel < 0 ? OrderKind.Cancel : OrderKind.Amend;
    }

    public static OrderMix Parse(string text)
    {
        var shares = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], out var share) || share < 0)
                throw new ArgumentException($"--mix: '{part}' is not kind=share (a non-negative integer)");
            if (kv[0].ToLowerInvariant() is not ("limit" or "market" or "ioc" or "cancel" or "amend"))
                throw new ArgumentException($"--mix: unknown kind '{kv[0]}' (limit, market, ioc, cancel, amend)");
            shares[kv[0]] = share;
        }
        var mix = new OrderMix(shares.GetValueOrDefault("limit"), shares.GetValueOrDefault("market"), shares.GetValueOrDefault("ioc"),
            shares.GetValueOrDefault("cancel"), shares.GetValueOrDefault("amend"));
        if (mix.Limit + mix.Market + mix.Ioc == 0) throw new ArgumentException("--mix needs a share of limit, market or ioc orders");
        return mix;
    }

    public override string ToString() => $"limit={Limit},market={Market},ioc={Ioc},cancel={Cancel},amend={Amend}";
}
