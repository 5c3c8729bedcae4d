namespace AkkaExchange.Messages;

/// <summary>The reply to <see cref="GetTrades"/>: the symbol's most recent trades, newest first.</summary>
public sealed record RecentTrades(string Symbol, IReadOnlyList<TradeExecuted> Trades)
{
    public bool Equals(RecentTrades? other) => other is not null && Symbol == other.Symbol && Trades.SequenceEqual(other.Trades);

    public override int GetHashCode() => HashCode.Combine(Symbol, Trades.Count);
}
