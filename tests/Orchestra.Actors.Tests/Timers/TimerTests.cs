using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Timers;

[Trait("Category", "Unit")]
public sealed class TimerTests() : ActorTestKit(new ActorTestKitOptions { UseManualTime = true })
{
    private sealed record Start(object Key, string Message, TimeSpan Delay, bool Periodic);

    private sealed record CancelTimer(object Key);

    private sealed record IsActive(object Key);

    private sealed class TimerActor : ReceiveActor
    {
        public TimerActor(IActorRef report)
        {
            Receive<Start>(s =>
            {
                if (s.Periodic)
                {
                    Timers.StartPeriodicTimer(s.Key, s.Message, s.Delay);
                }
                else
                {
                    Timers.StartSingleTimer(s.Key, s.Message, s.Delay);
                }

                Sender.Tell("started");
            });
            Receive<CancelTimer>(c =>
            {
                Timers.Cancel(c.Key);
                Sender.Tell("cancelled");
            });
            Receive<IsActive>(a => Sender.Tell(Timers.IsTimerActive(a.Key)));
            Receive<string>(s => s == "crash", _ => throw new InvalidOperationException("crash"));
            Receive<string>(s => report.Tell(s));
        }
    }

    private async Task<(IActorRef Actor, TestProbe Probe)> SpawnAsync()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(probe.Ref)));
        await Task.CompletedTask;
        return (actor, probe);
    }

    private static Task<string> StartAsync(IActorRef actor, Start start) => actor.Ask<string>(start, Timeout.InfiniteTimeSpan);

    [Fact]
    public async Task SingleTimer_FiresOnce_AtDueTime()
    {
        var (actor, probe) = await SpawnAsync();
        await StartAsync(actor, new Start("k", "tick", TimeSpan.FromSeconds(5), false));
        Clock!.Advance(TimeSpan.FromSeconds(4));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await probe.ExpectMsgAsync("tick");
        Assert.False(await actor.Ask<bool>(new IsActive("k"), Timeout.InfiniteTimeSpan));
        Clock.Advance(TimeSpan.FromSeconds(10));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task PeriodicTimer_FiresEveryInterval_UntilCancelled()
    {
        var (actor, probe) = await SpawnAsync();
        await StartAsync(actor, new Start("p", "beat", TimeSpan.FromSeconds(1), true));
        Clock!.Advance(TimeSpan.FromSeconds(3));
        await probe.ExpectMsgAsync("beat");
        await probe.ExpectMsgAsync("beat");
        await probe.ExpectMsgAsync("beat");
        Assert.True(await actor.Ask<bool>(new IsActive("p"), Timeout.InfiniteTimeSpan));
        await actor.Ask<string>(new CancelTimer("p"), Timeout.InfiniteTimeSpan);
        Clock.Advance(TimeSpan.FromSeconds(3));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(0, Clock.ActiveTimerCount);
    }

    [Fact]
    public async Task RestartingTimerWithSameKey_ReplacesIt()
    {
        var (actor, probe) = await SpawnAsync();
        await StartAsync(actor, new Start("k", "first", TimeSpan.FromSeconds(1), false));
        await StartAsync(actor, new Start("k", "second", TimeSpan.FromSeconds(2), false));
        Clock!.Advance(TimeSpan.FromSeconds(2));
        await probe.ExpectMsgAsync("second");
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Timers_AreCancelled_WhenActorStops()
    {
        var (actor, probe) = await SpawnAsync();
        await StartAsync(actor, new Start("a", "x", TimeSpan.FromSeconds(1), false));
        await StartAsync(actor, new Start("b", "y", TimeSpan.FromSeconds(1), true));
        Assert.Equal(2, Clock!.ActiveTimerCount);
        await probe.WatchAsync(actor);
        Sys.Stop(actor);
        await probe.ExpectTerminatedAsync(actor);
        Assert.Equal(0, Clock.ActiveTimerCount);
        var deadLetters = Sys.DeadLetterCount;
        Clock.Advance(TimeSpan.FromSeconds(5));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        Assert.Equal(deadLetters, Sys.DeadLetterCount);
    }

    [Fact]
    public async Task Timers_AreCancelled_WhenActorRestarts()
    {
        var (actor, probe) = await SpawnAsync();
        await StartAsync(actor, new Start("a", "x", TimeSpan.FromSeconds(1), false));
        actor.Tell("crash");
        Assert.False(await actor.Ask<bool>(new IsActive("a"), Timeout.InfiniteTimeSpan));
        Assert.Equal(0, Clock!.ActiveTimerCount);
        Clock.Advance(TimeSpan.FromSeconds(2));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }
}
