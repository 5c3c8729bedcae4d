namespace AkkaExchange.LoadTest;

/// <summary>To a customer: your send scheduled for <paramref name="Due"/> (run clock ticks) is due.</summary>
internal sealed record SendDue(long Due);

/// <summary>To a broker: send this order for one of your customers, scheduled at <paramref name="Due"/>.</summary>
internal sealed record Submit(int Customer, long Due, OutgoingOrder Order);

/// <summary>To a broker: the exchange answered.</summary>
internal sealed record Answer(ReportFrame Frame);

/// <summary>To a customer: what became of one of its requests.</summary>
internal sealed record Answered(OutgoingOrder Order, ReportFrame Frame);

/// <summary>To a broker: give up on every request still unanswered; replies with how many there were.</summary>
internal sealed record ExpirePending;

/// <summary>To a broker: replies with the orders the exchange acknowledged.</summary>
internal sealed record GetAcked;
