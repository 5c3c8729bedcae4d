namespace AkkaExchange.Actors.Domain;

/// <summary>
/// The trading rules of one symbol. Prices inside the book are integer ticks of <see cref="TickSize"/>;
/// quantities are integer shares, a multiple of <see cref="LotSize"/> between <see cref="MinQuantity"/>
/// and <see cref="MaxQuantity"/>. The tick size of a symbol must not change while its journal exists:
/// journaled prices are ticks.
/// </summary>
public sealed record InstrumentSpec
{
    public InstrumentSpec(string symbol, decimal tickSize = 0.01m, long lotSize = 1, long minQuantity = 1,
        long maxQuantity = 1_000_000, long maxPriceTicks = 100_000_000)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        if (tickSize <= 0) throw new ArgumentOutOfRangeException(nameof(tickSize), "tick size must be positive");
        if (lotSize <= 0) throw new ArgumentOutOfRangeException(nameof(lotSize), "lot size must be positive");
        if (minQuantity <= 0 || maxQuantity < minQuantity)
            throw new ArgumentOutOfRangeException(nameof(maxQuantity), "need 0 < minQuantity <= maxQuantity");
        if (maxPriceTicks <= 0) throw new ArgumentOutOfRangeException(nameof(maxPriceTicks), "max price must be positive");
        Symbol = symbol;
        TickSize = tickSize;
        LotSize = lotSize;
        MinQuantity = minQuantity;
        MaxQuantity = maxQuantity;
        MaxPriceTicks = maxPriceTicks;
    }

    public string Symbol { get; }
    public decimal TickSize { get; }
    public long LotSize { get; }
    public long MinQuantity { get; }
    public long MaxQuantity { get; }
    public long MaxPriceTicks { get; }

    /// <summary>Converts a decimal price to ticks; false when it is not positive, off tick or above the limit.</summary>
    public bool TryToTicks(decimal price, out long ticks)
    {
        ticks = 0;
        // Bounded before dividing: a price near decimal.MaxValue over a tick below 1 would overflow the division.
        if (price <= 0 || price > MaxPriceTicks * TickSize) return false;
        var t = price / TickSize;
        if (t != decimal.Truncate(t)) return false;
        ticks = (long)t;
        return true;
    }

    /// <summary>The decimal price of a tick count.</summary>
    public decimal ToPrice(long ticks) => ticks * TickSize;

    /// <summary>True when a limit price in ticks is acceptable.</summary>
    public bool IsValidPrice(long ticks) => ticks > 0 && ticks <= MaxPriceTicks;

    /// <summary>The reason a quantity is unacceptable, or null when it is acceptable.</summary>
    public Messages.RejectReason? CheckQuantity(long quantity)
    {
        if (quantity < MinQuantity || quantity > MaxQuantity) return Messages.RejectReason.InvalidQuantity;
        if (quantity % LotSize != 0) return Messages.RejectReason.QuantityNotMultipleOfLot;
        return null;
    }
}
