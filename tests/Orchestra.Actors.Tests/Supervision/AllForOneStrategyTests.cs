using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Supervision;

[Trait("Category", "Unit")]
public sealed class AllForOneStrategyTests() : ActorTestKit(new ActorTestKitOptions { UseManualTime = true })
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static Directive Decide(Exception e) => e switch
    {
        ResumeMe => Directive.Resume,
        StopMe => Directive.Stop,
        _ => Directive.Restart,
    };

    private sealed record Group(IActorRef Supervisor, IActorRef A, IActorRef B, TestProbe LifecycleA, TestProbe LifecycleB);

    private async Task<Group> SpawnAsync(SupervisorStrategy strategy)
    {
        var lifecycleA = CreateTestProbe();
        var lifecycleB = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new WorkerSupervisor(strategy, new[] { ("a", lifecycleA.Ref), ("b", lifecycleB.Ref) })));

        // The manual clock drives ask timeouts too: bound the asks on real time instead.
        var a = await supervisor.Ask<IActorRef>(new GetChild("a"), Timeout).WaitAsync(Timeout);
        var b = await supervisor.Ask<IActorRef>(new GetChild("b"), Timeout).WaitAsync(Timeout);
        await lifecycleA.ExpectMsgAsync("PreStart");
        await lifecycleB.ExpectMsgAsync("PreStart");
        return new Group(supervisor, a, b, lifecycleA, lifecycleB);
    }

    private static async Task<int> CountAsync(IActorRef worker) => await worker.Ask<int>(new GetCount(), Timeout).WaitAsync(Timeout);

    private static async Task ExpectRestartAsync(TestProbe lifecycle, string reason, string? message)
    {
        await lifecycle.ExpectMsgAsync($"PreRestart:{reason}:{message}");
        await lifecycle.ExpectMsgAsync("PostStop");
        await lifecycle.ExpectMsgAsync("PostRestart");
        await lifecycle.ExpectMsgAsync("PreStart");
    }

    [Fact]
    public async Task Restart_RestartsTheFailedChildAndEverySibling()
    {
        var group = await SpawnAsync(new AllForOneStrategy(Decide));
        var probe = CreateTestProbe();
        probe.Send(group.A, "1");
        probe.Send(group.B, "1");
        probe.Send(group.B, "2");
        await probe.ReceiveNAsync(3);

        group.A.Tell(new Crash(new RestartMe()));

        // The failed child restarts on its failing message; the sibling on the same reason, with no message of its own.
        await ExpectRestartAsync(group.LifecycleA, nameof(RestartMe), nameof(Crash));
        await ExpectRestartAsync(group.LifecycleB, nameof(RestartMe), null);
        Assert.Equal(0, await CountAsync(group.A));
        Assert.Equal(0, await CountAsync(group.B));
        Assert.Equal(2, await group.Supervisor.Ask<int>(new GetCount(), Timeout).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Stop_StopsTheFailedChildAndEverySibling_ButNotTheSupervisor()
    {
        var group = await SpawnAsync(new AllForOneStrategy(Decide));
        var watcher = CreateTestProbe();
        await watcher.WatchAsync(group.A);
        await watcher.WatchAsync(group.B);

        group.B.Tell(new Crash(new StopMe()));

        var stopped = new[] { await watcher.ExpectMsgAsync<Terminated>(), await watcher.ExpectMsgAsync<Terminated>() };
        Assert.Equivalent(new[] { group.A, group.B }, stopped.Select(t => t.ActorRef));
        await group.LifecycleA.ExpectMsgAsync("PostStop");
        await group.LifecycleB.ExpectMsgAsync("PostStop");
        Assert.Equal(0, await group.Supervisor.Ask<int>(new GetCount(), Timeout).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Resume_ResumesOnlyTheFailedChild_AndEveryChildKeepsItsState()
    {
        var group = await SpawnAsync(new AllForOneStrategy(Decide));
        var probe = CreateTestProbe();
        probe.Send(group.A, "1");
        probe.Send(group.B, "1");
        probe.Send(group.B, "2");
        await probe.ReceiveNAsync(3);

        group.A.Tell(new Crash(new ResumeMe()));
        probe.Send(group.A, "2");
        await probe.ExpectMsgAsync("2");

        // A restart would have reset the counts.
        Assert.Equal(2, await CountAsync(group.A));
        Assert.Equal(2, await CountAsync(group.B));
    }

    [Fact]
    public async Task Restarts_CountInEveryChildsWindow_AndBeyondTheBoundAllChildrenStop()
    {
        var group = await SpawnAsync(new AllForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart));
        var watcher = CreateTestProbe();
        await watcher.WatchAsync(group.A);
        await watcher.WatchAsync(group.B);

        group.A.Tell(new Crash(new RestartMe()));
        await ExpectRestartAsync(group.LifecycleA, nameof(RestartMe), nameof(Crash));
        await ExpectRestartAsync(group.LifecycleB, nameof(RestartMe), null);

        // B's own failure is the group's second restart within the window: still allowed.
        group.B.Tell(new Crash(new RestartMe()));
        await ExpectRestartAsync(group.LifecycleA, nameof(RestartMe), null);
        await ExpectRestartAsync(group.LifecycleB, nameof(RestartMe), nameof(Crash));

        // The third within the minute is over the bound: the whole group stops.
        group.A.Tell(new Crash(new RestartMe()));
        await group.LifecycleA.ExpectMsgAsync("PostStop");
        await group.LifecycleB.ExpectMsgAsync("PostStop");
        var stopped = new[] { await watcher.ExpectMsgAsync<Terminated>(), await watcher.ExpectMsgAsync<Terminated>() };
        Assert.Equivalent(new[] { group.A, group.B }, stopped.Select(t => t.ActorRef));
    }

    [Fact]
    public async Task Restarts_OutsideTheWindow_StartANewCount()
    {
        var group = await SpawnAsync(new AllForOneStrategy(1, TimeSpan.FromMinutes(1), _ => Directive.Restart));

        group.A.Tell(new Crash(new RestartMe()));
        await ExpectRestartAsync(group.LifecycleA, nameof(RestartMe), nameof(Crash));
        await ExpectRestartAsync(group.LifecycleB, nameof(RestartMe), null);

        // One restart per minute is allowed: a minute later the window starts again.
        Clock!.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        group.B.Tell(new Crash(new RestartMe()));
        await ExpectRestartAsync(group.LifecycleA, nameof(RestartMe), null);
        await ExpectRestartAsync(group.LifecycleB, nameof(RestartMe), nameof(Crash));

        // A second one in the same minute stops them all.
        var watcher = CreateTestProbe();
        await watcher.WatchAsync(group.A);
        await watcher.WatchAsync(group.B);
        group.B.Tell(new Crash(new RestartMe()));
        await watcher.ExpectMsgAsync<Terminated>();
        await watcher.ExpectMsgAsync<Terminated>();
    }

    [Fact]
    public async Task Escalate_FailsTheSupervisor_WhoseRestartStopsAndRecreatesTheGroup()
    {
        var group = await SpawnAsync(new AllForOneStrategy(_ => Directive.Escalate));
        var watcher = CreateTestProbe();
        await watcher.WatchAsync(group.A);
        await watcher.WatchAsync(group.B);

        group.A.Tell(new Crash(new RestartMe()));

        // The guardian restarts the supervisor: its children are stopped and it creates new ones.
        await watcher.ExpectMsgAsync<Terminated>();
        await watcher.ExpectMsgAsync<Terminated>();
        await group.LifecycleA.FishForMessageAsync(m => Equals(m, "PreStart"));
        var newA = await group.Supervisor.Ask<IActorRef>(new GetChild("a"), Timeout).WaitAsync(Timeout);
        Assert.NotEqual(group.A, newA);
    }

    [Fact]
    public void Constructor_RejectsANullDecider()
    {
        Assert.Throws<ArgumentNullException>(() => new AllForOneStrategy(null!));
        Assert.Throws<ArgumentNullException>(() => new AllForOneStrategy(3, TimeSpan.FromMinutes(1), null!));
        var strategy = new AllForOneStrategy(3, TimeSpan.FromMinutes(1), Decide);
        Assert.Equal(3, strategy.MaxNrOfRetries);
        Assert.Equal(TimeSpan.FromMinutes(1), strategy.WithinTimeRange);
    }
}
