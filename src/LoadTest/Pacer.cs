using Akka.Actor;

namespace AkkaExchange.LoadTest;

/// <summary>
/// Drives the <see cref="SendSchedule"/> on its own thread: every due send is told to its customer with the time
/// it was due. It never waits for answers (open loop), so the send rate holds whatever the exchange does.
/// </summary>
internal sealed class Pacer(SendSchedule schedule, IActorRef[] customers, RunClock clock)
{
    private volatile bool _stopping;
    private Thread? _thread;

    public void Start(long until)
    {
        _thread = new Thread(() => Run(until)) { IsBackground = true, Name = "pacer", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
    }

    private void Run(long until)
    {
        var due = new List<(int Customer, long Due)>(1024);
        while (!_stopping)
        {
            var now = Math.Min(clock.Now, until);
            due.Clear();
            schedule.TakeDue(now, due);
            foreach (var (customer, at) in due) customers[customer].Tell(new SendDue(at), ActorRefs.NoSender);
            if (now >= until) return;
            var wait = Math.Min(schedule.NextDue, until) - clock.Now;
            if (wait > 0) Thread.Sleep(TimeSpan.FromTicks(Math.Min(wait, TimeSpan.TicksPerMillisecond * 5)));
        }
    }
}
