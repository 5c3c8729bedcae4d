using AkkaExchange.LoadTest;

namespace AkkaExchange.LoadTest.Tests;

public sealed class SendScheduleSpecs
{
    [Theory]
    [InlineData(1_000, 1.0)]
    [InlineData(300, 2.5)]
    [InlineData(7, 10.0)]
    public void Every_customer_sends_at_its_rate_and_the_total_is_steady(int customers, double rate)
    {
        var schedule = new SendSchedule(customers, rate, seed: 3);
        var perCustomer = new int[customers];
        var perBucket = new int[100];
        var output = new List<(int Customer, long Due)>();
        long previousDue = -1;
        const int seconds = 10;
        // Step a simulated clock by 1 ms, as the pacer would.
        for (long now = 0; now < TimeSpan.TicksPerSecond * seconds; now += TimeSpan.TicksPerMillisecond)
        {
            output.Clear();
            schedule.TakeDue(now, output);
            foreach (var (customer, due) in output)
            {
                Assert.True(due <= now, "handed out before it was due");
                Assert.True(due >= previousDue, "due times went backwards");
                previousDue = due;
                perCustomer[customer]++;
                perBucket[(int)(due / (TimeSpan.TicksPerSecond / 10))]++;
            }
        }
        var expected = rate * seconds;
        Assert.All(perCustomer, n => Assert.InRange(n, expected - 1, expected + 1));
        // Spread over time: each 100 ms holds a tenth of a second's sends, give or take one send per customer.
        var perBucketExpected = customers * rate / 10;
        Assert.All(perBucket, n => Assert.InRange(n, Math.Floor(perBucketExpected) - 1, Math.Ceiling(perBucketExpected) + 1));
    }

    [Fact]
    public void Phases_are_spread_over_the_first_period_not_bunched()
    {
        var schedule = new SendSchedule(100, 1.0, seed: 1);
        var output = new List<(int Customer, long Due)>();
        schedule.TakeDue(TimeSpan.TicksPerSecond / 2 - 1, output);
        Assert.InRange(output.Count, 49, 51);
        Assert.Equal(100, output.Select(o => o.Customer).Concat(Next(schedule, TimeSpan.TicksPerSecond - 1)).Distinct().Count());
    }

    private static IEnumerable<int> Next(SendSchedule s, long now)
    {
        var output = new List<(int Customer, long Due)>();
        s.TakeDue(now, output);
        return output.Select(o => o.Customer);
    }
}
