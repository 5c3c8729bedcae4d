namespace AkkaExchange.LoadTest;

/// <summary>
/// When each customer sends: every customer on its own fixed period, starting at its own phase (spread evenly
/// over the first period, shuffled by the seed), so the total rate is steady instead of arriving in bursts.
/// Pure: time is whatever the caller passes (ticks of <see cref="TimeSpan"/> since the start).
/// </summary>
public sealed class SendSchedule
{
    private readonly PriorityQueue<int, long> _due = new();

    public SendSchedule(int customers, double sendsPerCustomerPerSecond, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);
        if (!(sendsPerCustomerPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(sendsPerCustomerPerSecond));
        Customers = customers;
        Period = (long)(TimeSpan.TicksPerSecond / sendsPerCustomerPerSecond);
        var order = Enumerable.Range(0, customers).ToArray();
        new Random(seed).Shuffle(order);
        for (var i = 0; i < customers; i++) _due.Enqueue(order[i], Period * i / customers);
    }

    public int Customers { get; }

    /// <summary>Ticks between two sends of one customer.</summary>
    public long Period { get; }

    /// <summary>When the next send is due.</summary>
    public long NextDue => _due.TryPeek(out _, out var due) ? due : long.MaxValue;

    /// <summary>Appends every (customer, due time) due at or before <paramref name="now"/>, and schedules each one's next send.</summary>
    public void TakeDue(long now, List<(int Customer, long Due)> output)
    {
        while (_due.TryPeek(out var customer, out var due) && due <= now)
        {
            _due.Dequeue();
            output.Add((customer, due));
            _due.Enqueue(customer, due + Period);
        }
    }
}
