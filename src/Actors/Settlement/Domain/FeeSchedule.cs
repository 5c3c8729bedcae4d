namespace AkkaExchange.Actors.Settlement.Domain;

/// <summary>
/// What each side of a trade pays, in basis points of the notional (price × quantity, in tick units): a commission
/// to its own broker and a fee to the exchange. A fee is rounded half up to a whole tick unit.
/// </summary>
public sealed record FeeSchedule(int BrokerBps, int ExchangeBps)
{
    public static FeeSchedule None { get; } = new(0, 0);

    /// <summary>The fee of <paramref name="bps"/> basis points on a notional (≥ 0).</summary>
    public static long Fee(long notional, int bps) => checked(notional * bps + 5_000) / 10_000;
}
