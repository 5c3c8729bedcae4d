using System.Collections.Concurrent;
using AkkaExchange.Actors.Kernel;

namespace AkkaExchange.Actors.Tests;

public sealed class KernelSpecs
{
    private sealed record Add(int Value);
    private sealed record Get;
    private sealed record Boom(string Why);

    /// <summary>Adds numbers one at a time (checking nobody else is inside), throws on <see cref="Boom"/>.</summary>
    private sealed class Counter(ConcurrentQueue<string> log) : Actor
    {
        private int _inside;
        private long _sum;

        protected internal override Task StartAsync(CancellationToken cancellation)
        {
            log.Enqueue("start");
            return Task.CompletedTask;
        }

        protected internal override async ValueTask ReceiveAsync(Envelope envelope)
        {
            if (Interlocked.Increment(ref _inside) != 1) log.Enqueue("CONCURRENT");
            await Task.Yield();
            switch (envelope.Message)
            {
                case Add a: _sum += a.Value; break;
                case Get: envelope.Reply(_sum); break;
                case Boom b: Interlocked.Decrement(ref _inside); throw new InvalidOperationException(b.Why);
            }
            Interlocked.Decrement(ref _inside);
        }

        protected internal override ValueTask IdleAsync()
        {
            log.Enqueue("idle");
            return ValueTask.CompletedTask;
        }

        protected internal override Task StopAsync()
        {
            log.Enqueue($"stop:{_sum}");
            return Task.CompletedTask;
        }

        protected internal override void Crashed(Exception reason) => log.Enqueue($"crashed:{reason.Message}");
    }

    [Fact]
    public async Task Messages_are_processed_one_at_a_time_and_in_order()
    {
        var log = new ConcurrentQueue<string>();
        await using var system = new ActorSystem();
        var counter = system.Spawn("counter", () => new Counter(log));
        await Task.WhenAll(Enumerable.Range(1, 8).Select(t => Task.Run(() =>
        {
            for (var i = 1; i <= 1000; i++) counter.Tell(new Add(1));
        })));
        Assert.Equal(8000L, await counter.Ask<long>(new Get(), TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain("CONCURRENT", log);
    }

    [Fact]
    public async Task Ask_without_a_reply_times_out()
    {
        await using var system = new ActorSystem();
        var counter = system.Spawn("counter", () => new Counter(new ConcurrentQueue<string>()));
        await Assert.ThrowsAsync<AskTimeoutException>(() => counter.Ask<object>(new Add(1), TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task A_failing_actor_is_restarted_from_its_start_and_goes_on()
    {
        var log = new ConcurrentQueue<string>();
        await using var system = new ActorSystem();
        var counter = system.Spawn("counter", () => new Counter(log), new SupervisorStrategy(1, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10)));
        counter.Tell(new Add(5));
        counter.Tell(new Boom("bad"));
        counter.Tell(new Add(2));
        // The restarted instance starts from scratch (a persistent actor would recover here): only 2 survives.
        Assert.Equal(2L, await counter.Ask<long>(new Get(), TimeSpan.FromSeconds(5)));
        Assert.Equal(2, log.Count(l => l == "start"));
        Assert.Contains("crashed:bad", log);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_rejected_with_its_reason_after_the_allowed_attempts()
    {
        var log = new ConcurrentQueue<string>();
        await using var system = new ActorSystem();
        var counter = system.Spawn("counter", () => new Counter(log), new SupervisorStrategy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10)));
        var error = await Assert.ThrowsAsync<MessageRejectedException>(() => counter.Ask<object>(new Boom("poison"), TimeSpan.FromSeconds(5)));
        Assert.Contains("poison", error.Message);
        Assert.Equal(3, log.Count(l => l == "crashed:poison"));
        counter.Tell(new Add(7));
        Assert.Equal(7L, await counter.Ask<long>(new Get(), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Stopping_drains_the_mailbox_then_flushes_then_stops()
    {
        var log = new ConcurrentQueue<string>();
        var system = new ActorSystem();
        var counter = system.Spawn("counter", () => new Counter(log));
        for (var i = 0; i < 500; i++) counter.Tell(new Add(1));
        await system.StopAsync();
        Assert.Equal("stop:500", log.Last());
        Assert.Equal("idle", log.Reverse().Skip(1).First());
        Assert.False(counter.Tell(new Add(1)));
        await Assert.ThrowsAsync<ActorUnavailableException>(() => counter.Ask<long>(new Get(), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Stopping_ends_even_when_an_actor_can_never_start()
    {
        var system = new ActorSystem(drainGrace: TimeSpan.FromMilliseconds(300));
        var actor = system.Spawn("never", () => throw new IOException("journal unreachable"),
            new SupervisorStrategy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)));
        var pending = actor.Ask<object>(new Get(), TimeSpan.FromMinutes(1));
        await system.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<ActorUnavailableException>(() => pending);
    }

    [Fact]
    public async Task An_actor_that_cannot_start_is_retried_until_it_can()
    {
        var attempts = 0;
        await using var system = new ActorSystem();
        var actor = system.Spawn("flaky", () =>
        {
            if (Interlocked.Increment(ref attempts) < 3) throw new IOException("journal not reachable yet");
            return new Counter(new ConcurrentQueue<string>());
        }, new SupervisorStrategy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)));
        await actor.Started.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, attempts);
    }
}
