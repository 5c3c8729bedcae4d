using AkkaExchange.Messages;

namespace AkkaExchange.Actors.Settlement.Domain;

/// <summary>A trade turned into its ledger postings and the notices of both sides.</summary>
public sealed record SettledTrade(TradeExecuted Trade, IReadOnlyList<Posting> Postings, IReadOnlyList<SettlementNotice> Notices);
