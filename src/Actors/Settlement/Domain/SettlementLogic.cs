using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Settlement.Domain;

/// <summary>
/// How a trade settles, as a pure function of the trade and the fee schedule. The buyer pays the notional plus its
/// fees and receives the shares; the seller delivers the shares and receives the notional minus its fees; each
/// side's broker gets that side's commission, the exchange both exchange fees. Cash is in tick units (price ticks
/// × quantity). Seven legs, balanced per asset: cash sums to zero, shares sum to zero.
/// </summary>
public static class SettlementLogic
{
    public static SettledTrade Settle(TradeExecuted t, FeeSchedule fees)
    {
        var (buyer, seller) = t.AggressorSide == Side.Buy ? (t.TakerAccount, t.MakerAccount) : (t.MakerAccount, t.TakerAccount);
        var notional = checked(t.Price * t.Quantity);
        var brokerFee = FeeSchedule.Fee(notional, fees.BrokerBps);
        var exchangeFee = FeeSchedule.Fee(notional, fees.ExchangeBps);
        var buyerPays = checked(notional + brokerFee + exchangeFee);
        var sellerGets = notional - brokerFee - exchangeFee;
        Posting Leg(string account, string asset, long amount) => new(t.Symbol, t.TradeId, account, asset, amount);
        var postings = new List<Posting>(7);
        // Legs to the same account and asset are merged (a direct member is its own broker), so keys stay unique.
        void Add(string account, string asset, long amount)
        {
            var i = postings.FindIndex(p => p.Account == account && p.Asset == asset);
            if (i < 0) postings.Add(Leg(account, asset, amount));
            else postings[i] = postings[i] with { Amount = checked(postings[i].Amount + amount) };
        }
        Add(buyer, Accounts.Cash, -buyerPays);
        Add(seller, Accounts.Cash, sellerGets);
        Add(Accounts.BrokerOf(buyer), Accounts.Cash, brokerFee);
        Add(Accounts.BrokerOf(seller), Accounts.Cash, brokerFee);
        Add(Accounts.Exchange, Accounts.Cash, 2 * exchangeFee);
        Add(buyer, t.Symbol, t.Quantity);
        Add(seller, t.Symbol, -t.Quantity);
        postings.RemoveAll(p => p.Amount == 0); // no fee, no leg
        var fee = brokerFee + exchangeFee;
        SettlementNotice[] notices =
        [
            new(buyer, t.Symbol, t.TradeId, Side.Buy, t.Quantity, t.Price, -buyerPays, fee, t.Timestamp),
            new(seller, t.Symbol, t.TradeId, Side.Sell, t.Quantity, t.Price, sellerGets, fee, t.Timestamp),
        ];
        return new SettledTrade(t, postings, notices);
    }
}
