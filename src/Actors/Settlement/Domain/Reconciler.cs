using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Settlement.Domain;

/// <summary>
/// Compares the trades of a window (from the matching journal) with the ledger's postings of the same trades, by id
/// and by content: every trade's legs are recomputed with <see cref="SettlementLogic"/> and matched key by key. Pure:
/// the caller loads both sides (by index, one symbol at a time) and applies the repairs.
/// </summary>
public static class Reconciler
{
    public static ReconciliationFindings Compare(IReadOnlyList<TradeExecuted> trades, IReadOnlyList<Posting> postings, FeeSchedule fees)
    {
        var actual = new Dictionary<(string, long), List<Posting>>();
        foreach (var p in postings)
        {
            if (!actual.TryGetValue((p.Symbol, p.TradeId), out var legs)) actual[(p.Symbol, p.TradeId)] = legs = [];
            legs.Add(p);
        }
        var missing = new List<SettledTrade>();
        var incomplete = new List<SettledTrade>();
        var repairs = new List<Posting>();
        var notices = new List<SettlementNotice>();
        var mismatched = new List<string>();
        var expectedMovement = new Dictionary<(string Account, string Asset), long>();
        foreach (var trade in trades)
        {
            var settled = SettlementLogic.Settle(trade, fees);
            foreach (var leg in settled.Postings)
                expectedMovement[(leg.Account, leg.Asset)] = expectedMovement.GetValueOrDefault((leg.Account, leg.Asset)) + leg.Amount;
            if (!actual.Remove((trade.Symbol, trade.TradeId), out var legs))
            {
                missing.Add(settled);
                repairs.AddRange(settled.Postings);
                notices.AddRange(settled.Notices);
                continue;
            }
            var expected = settled.Postings.ToDictionary(p => p.Key);
            var wrong = legs.Where(l => !expected.TryGetValue(l.Key, out var e) || e.Amount != l.Amount).ToArray();
            if (wrong.Length > 0)
            {
                mismatched.AddRange(wrong.Select(l => expected.TryGetValue(l.Key, out var e)
                    ? $"{l.Symbol} trade {l.TradeId}: {l.Account} {l.Asset} posted {l.Amount}, the trade says {e.Amount}"
                    : $"{l.Symbol} trade {l.TradeId}: {l.Account} {l.Asset} posted {l.Amount}, the trade has no such leg"));
                continue;
            }
            var present = legs.Select(l => l.Key).ToHashSet();
            var absent = settled.Postings.Where(p => !present.Contains(p.Key)).ToArray();
            if (absent.Length == 0) continue;
            incomplete.Add(settled);
            repairs.AddRange(absent);
            notices.AddRange(settled.Notices);
        }
        var extra = actual.Values.SelectMany(l => l).ToArray();

        var imbalanced = postings.GroupBy(p => p.Asset).Where(g => g.Sum(p => p.Amount) != 0).Select(g => g.Key).OrderBy(a => a, StringComparer.Ordinal).ToArray();
        var actualMovement = postings.GroupBy(p => (p.Account, p.Asset)).ToDictionary(g => g.Key, g => g.Sum(p => p.Amount));
        var positionBreaks = expectedMovement.Keys.Union(actualMovement.Keys)
            .Count(k => expectedMovement.GetValueOrDefault(k) != actualMovement.GetValueOrDefault(k));
        return new ReconciliationFindings(trades.Count, missing, incomplete, repairs, notices, mismatched, extra, imbalanced, positionBreaks);
    }
}
