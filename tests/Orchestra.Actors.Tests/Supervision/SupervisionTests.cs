using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Supervision;

[Trait("Category", "Unit")]
public sealed class SupervisionTests : ActorTestKit
{
    private sealed class ResumeMe : Exception;

    private sealed class RestartMe : Exception;

    private sealed class StopMe : Exception;

    private sealed class EscalateMe : Exception;

    private sealed record Fail(Exception Error);

    private sealed record FailAsync(Exception Error);

    private sealed record Get;

    private sealed record Ping;

    /// <summary>Counts messages (state), reports its lifecycle to a probe.</summary>
    private sealed class Worker : ReceiveActor
    {
        private readonly IActorRef _probe;
        private int _count;

        public Worker(IActorRef probe)
        {
            _probe = probe;
            Receive<string>(_ => _count++);
            Receive<Get>(_ => Sender.Tell(_count));
            Receive<Ping>(_ => _probe.Tell("Pong"));
            Receive<Fail>(f => throw f.Error);
            ReceiveAsync<FailAsync>(async f =>
            {
                await Task.Yield();
                throw f.Error;
            });
        }

        protected override void PreStart() => _probe.Tell("PreStart");

        protected override void PostStop() => _probe.Tell("PostStop");

        protected override void PreRestart(Exception reason, object? message)
        {
            _probe.Tell($"PreRestart:{reason.GetType().Name}:{message?.GetType().Name}");
            base.PreRestart(reason, message);
        }

        protected override void PostRestart(Exception reason)
        {
            _probe.Tell("PostRestart");
            base.PostRestart(reason);
        }
    }

    private sealed class Parent : ReceiveActor
    {
        private readonly SupervisorStrategy _strategy;

        public Parent(SupervisorStrategy strategy, Props childProps)
        {
            _strategy = strategy;
            var child = Context.ActorOf(childProps, "child");
            Receive<Get>(_ => Sender.Tell(child));
            Receive<Fail>(f => throw f.Error);
        }

        protected override SupervisorStrategy CreateSupervisorStrategy() => _strategy;
    }

    private static Directive Decide(Exception e) => e switch
    {
        ResumeMe => Directive.Resume,
        RestartMe => Directive.Restart,
        StopMe => Directive.Stop,
        EscalateMe => Directive.Escalate,
        _ => Directive.Restart,
    };

    private async Task<(IActorRef Parent, IActorRef Child, TestProbe Probe)> SpawnAsync(SupervisorStrategy? strategy = null, string name = "parent")
    {
        var probe = CreateTestProbe();
        var parent = Sys.ActorOf(
            Props.Create(() => new Parent(strategy ?? new OneForOneStrategy(Decide), Props.Create(() => new Worker(probe.Ref)))), name);
        var child = await parent.Ask<IActorRef>(new Get(), TimeSpan.FromSeconds(10));
        await probe.ExpectMsgAsync("PreStart");
        return (parent, child, probe);
    }

    [Fact]
    public async Task Resume_KeepsState()
    {
        var (_, child, probe) = await SpawnAsync();
        child.Tell("a");
        child.Tell("b");
        child.Tell(new Fail(new ResumeMe()));
        child.Tell("c");
        Assert.Equal(3, await child.Ask<int>(new Get(), TimeSpan.FromSeconds(10)));

        // A restart would have told the probe PreRestart/PostStop before the child got here, so Ping's reply comes first.
        child.Tell(new Ping());
        await probe.ExpectMsgAsync("Pong");
    }

    [Fact]
    public async Task Restart_ResetsState_AndRunsHooksInOrder()
    {
        var (_, child, probe) = await SpawnAsync();
        child.Tell("a");
        child.Tell(new Fail(new RestartMe()));
        await probe.ExpectMsgAsync("PreRestart:RestartMe:Fail");
        await probe.ExpectMsgAsync("PostStop");
        await probe.ExpectMsgAsync("PostRestart");
        await probe.ExpectMsgAsync("PreStart");
        Assert.Equal(0, await child.Ask<int>(new Get(), TimeSpan.FromSeconds(10)));
        child.Tell("b");
        Assert.Equal(1, await child.Ask<int>(new Get(), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task FailureInAsyncHandler_IsSupervised()
    {
        var (_, child, probe) = await SpawnAsync();
        child.Tell("a");
        child.Tell(new FailAsync(new RestartMe()));
        await probe.ExpectMsgAsync("PreRestart:RestartMe:FailAsync");
        Assert.Equal(0, await child.Ask<int>(new Get(), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Stop_StopsChild()
    {
        var (_, child, probe) = await SpawnAsync();
        await probe.WatchAsync(child);
        child.Tell(new Fail(new StopMe()));
        await probe.ExpectMsgAsync("PostStop");
        await probe.ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task Escalate_LetsGrandparentRestartParent_WhichStopsItsChildren()
    {
        var (parent, child, probe) = await SpawnAsync();
        await probe.WatchAsync(child);
        child.Tell(new Fail(new EscalateMe()));

        // The guardian restarts the parent (default strategy); a restarted actor's children are stopped.
        await probe.FishForMessageAsync<Terminated>(t => t.ActorRef.Equals(child));
        var newChild = await parent.Ask<IActorRef>(new Get(), TimeSpan.FromSeconds(10));
        Assert.NotEqual(child, newChild);
        Assert.Equal(0, await newChild.Ask<int>(new Get(), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task CrashLoop_IsStoppedByRestartBound()
    {
        var strategy = new OneForOneStrategy(3, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var (_, child, probe) = await SpawnAsync(strategy);
        var watcher = CreateTestProbe();
        await watcher.WatchAsync(child);
        for (var i = 0; i < 10; i++)
        {
            child.Tell(new Fail(new RestartMe()));
        }

        await watcher.ExpectTerminatedAsync(child);
        var restarts = 0;
        while (true)
        {
            var message = (await probe.ReceiveOneAsync()).Message as string;
            if (message == "PostRestart")
            {
                restarts++;
            }

            if (message == "PostStop" && restarts == 3)
            {
                // The fourth failure: the child stops for good (the PostStop of its 3rd PreRestart came earlier).
                break;
            }
        }

        Assert.Equal(3, restarts);
    }

    [Fact]
    public async Task DefaultStrategy_RestartsOnFailure()
    {
        var probe = CreateTestProbe();
        var worker = Sys.ActorOf(Props.Create(() => new Worker(probe.Ref)));
        await probe.ExpectMsgAsync("PreStart");
        worker.Tell("x");
        worker.Tell(new Fail(new InvalidOperationException()));
        await probe.ExpectMsgAsync("PreRestart:InvalidOperationException:Fail");
        Assert.Equal(0, await worker.Ask<int>(new Get(), TimeSpan.FromSeconds(10)));
    }

    private sealed class BrokenStart : ReceiveActor
    {
        public BrokenStart() => throw new InvalidOperationException("no");
    }

    [Fact]
    public async Task FailingConstructor_StopsActor_ByDefault()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new BrokenStart()));
        await probe.WatchAsync(actor);
        await probe.ExpectTerminatedAsync(actor);
    }
}
