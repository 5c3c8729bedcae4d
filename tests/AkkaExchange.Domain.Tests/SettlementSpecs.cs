using AkkaExchange.Actors.Settlement.Domain;
using AkkaExchange.Messages;

namespace AkkaExchange.Domain.Tests;

/// <summary>
/// Settlement and reconciliation rules, against a reference written from the rules: per account, a buyer pays
/// notional + fees and gets the shares, a seller the reverse, brokers and the exchange get the fees.
/// </summary>
public sealed class SettlementSpecs
{
    private static readonly FeeSchedule Fees = new(BrokerBps: 3, ExchangeBps: 1);

    private static TradeExecuted Trade(long id, string maker, string taker, Side aggressor, long price, long qty, string symbol = "AAPL") =>
        new(symbol, id, price, qty, aggressor, 100 + id, maker, 200 + id, taker, 1_000 + id);

    [Fact]
    public void A_trade_settles_into_cash_shares_and_fees_that_balance()
    {
        // 10,000 ticks × 7 = 70,000 notional; broker 3 bp = 21, exchange 1 bp = 7.
        var s = SettlementLogic.Settle(Trade(1, maker: "BD002-C009", taker: "BD001-C001", Side.Buy, 10_000, 7), Fees);
        var legs = s.Postings.ToDictionary(p => (p.Account, p.Asset), p => p.Amount);
        Assert.Equal(-70_028, legs[("BD001-C001", "CASH")]);
        Assert.Equal(69_972, legs[("BD002-C009", "CASH")]);
        Assert.Equal(21, legs[("BD001", "CASH")]);
        Assert.Equal(21, legs[("BD002", "CASH")]);
        Assert.Equal(14, legs[("EXCHANGE", "CASH")]);
        Assert.Equal(7, legs[("BD001-C001", "AAPL")]);
        Assert.Equal(-7, legs[("BD002-C009", "AAPL")]);
        Assert.Equal(7, s.Postings.Count);
        Assert.Equal([(Side.Buy, "BD001-C001", -70_028L, 28L), (Side.Sell, "BD002-C009", 69_972L, 28L)],
            s.Notices.Select(n => (n.Side, n.Account, n.Cash, n.Fee)));
    }

    [Fact]
    public void Fees_round_half_up_and_a_direct_member_is_its_own_broker()
    {
        Assert.Equal(0, FeeSchedule.Fee(4_999, 1));
        Assert.Equal(1, FeeSchedule.Fee(5_000, 1));
        var s = SettlementLogic.Settle(Trade(2, maker: "S1", taker: "B1", Side.Sell, 10_000, 1), Fees);
        Assert.Equal(s.Postings.Count, s.Postings.Select(p => p.Key).Distinct().Count());
        Assert.Equal(-10_000 - 3 - 1 + 3, s.Postings.Single(p => p.Account == "S1" && p.Asset == "CASH").Amount); // S1 bought (maker of a sell aggressor)
        Assert.DoesNotContain(SettlementLogic.Settle(Trade(3, "A-1", "B-1", Side.Buy, 1, 1), FeeSchedule.None).Postings, p => p.Amount == 0);
    }

    [Fact]
    public void Random_trades_balance_per_asset_and_match_a_reference_of_account_movements()
    {
        var rng = new Random(42);
        var accounts = Enumerable.Range(0, 12).Select(i => i % 4 == 3 ? $"M{i}" : $"BD{i % 3:000}-C{i:000}").ToArray();
        var reference = new Dictionary<(string, string), long>();
        var ledger = new Dictionary<(string, string), long>();
        for (var id = 1; id <= 5_000; id++)
        {
            var maker = accounts[rng.Next(accounts.Length)];
            var taker = accounts.Where(a => a != maker).ElementAt(rng.Next(accounts.Length - 1));
            var trade = Trade(id, maker, taker, rng.Next(2) == 0 ? Side.Buy : Side.Sell, rng.Next(1, 1_000_000), rng.Next(1, 10_000),
                rng.Next(2) == 0 ? "AAPL" : "MSFT");
            var settled = SettlementLogic.Settle(trade, Fees);
            foreach (var asset in settled.Postings.Select(p => p.Asset).Distinct())
                Assert.Equal(0, settled.Postings.Where(p => p.Asset == asset).Sum(p => p.Amount));
            foreach (var p in settled.Postings) ledger[(p.Account, p.Asset)] = ledger.GetValueOrDefault((p.Account, p.Asset)) + p.Amount;

            var (buyer, seller) = trade.AggressorSide == Side.Buy ? (taker, maker) : (maker, taker);
            var notional = trade.Price * trade.Quantity;
            var broker = (notional * Fees.BrokerBps + 5_000) / 10_000;
            var exchange = (notional * Fees.ExchangeBps + 5_000) / 10_000;
            void Move(string account, string asset, long amount) => reference[(account, asset)] = reference.GetValueOrDefault((account, asset)) + amount;
            Move(buyer, "CASH", -(notional + broker + exchange));
            Move(seller, "CASH", notional - broker - exchange);
            Move(buyer.Contains('-') ? buyer.Split('-')[0] : buyer, "CASH", broker);
            Move(seller.Contains('-') ? seller.Split('-')[0] : seller, "CASH", broker);
            Move("EXCHANGE", "CASH", 2 * exchange);
            Move(buyer, trade.Symbol, trade.Quantity);
            Move(seller, trade.Symbol, -trade.Quantity);
        }
        Assert.Equal(reference.Where(kv => kv.Value != 0).OrderBy(kv => kv.Key), ledger.Where(kv => kv.Value != 0).OrderBy(kv => kv.Key));
    }

    private static (TradeExecuted[] Trades, List<Posting> Postings) SettledWindow(int count, int seed)
    {
        var rng = new Random(seed);
        var trades = Enumerable.Range(1, count)
            .Select(i => Trade(i, $"BD00{rng.Next(3)}-C00{rng.Next(5)}", $"BD01{rng.Next(3)}-C01{rng.Next(5)}", Side.Buy, rng.Next(1, 50_000), rng.Next(1, 500)))
            .ToArray();
        return (trades, trades.SelectMany(t => SettlementLogic.Settle(t, Fees).Postings).ToList());
    }

    [Fact]
    public void A_fully_settled_window_is_clean()
    {
        var (trades, postings) = SettledWindow(500, 1);
        var found = Reconciler.Compare(trades, postings, Fees);
        Assert.Equal(500, found.TradesChecked);
        Assert.Empty(found.Missing);
        Assert.Empty(found.Incomplete);
        Assert.Empty(found.Repairs);
        Assert.False(found.HasUnresolved);
        Assert.Empty(found.ImbalancedAssets);
        Assert.Equal(0, found.PositionBreaks);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Dropped_trades_and_deleted_legs_are_found_exactly_and_the_repairs_restore_the_ledger(int seed)
    {
        var (trades, postings) = SettledWindow(1_000, seed);
        var complete = postings.Select(p => p.Key).ToHashSet();
        var rng = new Random(seed);
        var dropped = trades.Where(_ => rng.NextDouble() < 0.05).Select(t => t.TradeId).ToHashSet();
        postings.RemoveAll(p => dropped.Contains(p.TradeId));
        var deleted = postings.Where(_ => rng.NextDouble() < 0.01).ToList();
        foreach (var d in deleted) postings.Remove(d);
        var damaged = deleted.Select(d => d.TradeId).Where(t => !dropped.Contains(t)).ToHashSet();

        var found = Reconciler.Compare(trades, postings, Fees);
        Assert.Equal(dropped.Order(), found.Missing.Select(m => m.Trade.TradeId).Order());
        Assert.Equal(damaged.Order(), found.Incomplete.Select(m => m.Trade.TradeId).Order());
        Assert.False(found.HasUnresolved);
        Assert.Equal(deleted.Count > 0 || dropped.Count > 0, found.PositionBreaks > 0);
        Assert.True(complete.SetEquals(postings.Concat(found.Repairs).Select(p => p.Key)));
        Assert.Equal(postings.Count + found.Repairs.Count, complete.Count);
        var again = Reconciler.Compare(trades, postings.Concat(found.Repairs).ToList(), Fees);
        Assert.Empty(again.Repairs);
    }

    [Fact]
    public void A_corrupted_amount_or_a_leg_of_no_trade_is_reported_and_never_repaired()
    {
        var (trades, postings) = SettledWindow(100, 4);
        postings[10] = postings[10] with { Amount = postings[10].Amount + 1 };
        postings.Add(new Posting("AAPL", 999_999, "BD000-C000", "CASH", 5));
        var found = Reconciler.Compare(trades, postings, Fees);
        Assert.Single(found.Mismatched);
        Assert.Contains($"trade {postings[10].TradeId}", found.Mismatched[0]);
        Assert.Equal(999_999, Assert.Single(found.Extra).TradeId);
        Assert.True(found.HasUnresolved);
        Assert.Empty(found.Repairs);
        Assert.Equal(["CASH"], found.ImbalancedAssets);
    }
}
