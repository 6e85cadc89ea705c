using Orchestra.Actors.Events;
using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Supervision;

[Trait("Category", "Unit")]
public sealed class KillTests : ActorTestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Kill_StopsTheActor_UnderTheDefaultStrategy_AfterTheMessagesQueuedBeforeIt()
    {
        var lifecycle = CreateTestProbe();
        var worker = Sys.ActorOf(Props.Create(() => new SupervisedWorker(lifecycle.Ref)));
        await lifecycle.ExpectMsgAsync("PreStart");
        var probe = CreateTestProbe();
        await probe.WatchAsync(worker);

        probe.Send(worker, "1");
        probe.Send(worker, "2");
        probe.Send(worker, Kill.Instance);
        probe.Send(worker, "3");

        // Terminated comes after everything the actor sent to the probe: "3" was never processed.
        await probe.ExpectMsgAsync("1");
        await probe.ExpectMsgAsync("2");
        await probe.ExpectTerminatedAsync(worker);
        await lifecycle.ExpectMsgAsync("PostStop");
    }

    [Fact]
    public async Task Kill_IsAFailure_ThatTheSupervisorMayTurnIntoARestart()
    {
        var lifecycle = CreateTestProbe();
        var strategy = new OneForOneStrategy(e => e is ActorKilledException ? Directive.Restart : Directive.Stop);
        var supervisor = Sys.ActorOf(Props.Create(() => new WorkerSupervisor(strategy, new[] { ("w", lifecycle.Ref) })));
        var worker = await supervisor.Ask<IActorRef>(new GetChild("w"), Timeout);
        await lifecycle.ExpectMsgAsync("PreStart");
        var probe = CreateTestProbe();
        probe.Send(worker, "1");
        await probe.ExpectMsgAsync("1");

        worker.Tell(Kill.Instance);

        // The Kill is the failing message; the handlers never saw it (it would have been unhandled otherwise).
        await lifecycle.ExpectMsgAsync("PreRestart:ActorKilledException:Kill");
        await lifecycle.ExpectMsgAsync("PostStop");
        await lifecycle.ExpectMsgAsync("PostRestart");
        await lifecycle.ExpectMsgAsync("PreStart");
        Assert.Equal(0, await worker.Ask<int>(new GetCount(), Timeout));
    }

    [Fact]
    public async Task Kill_UnderAllForOne_RestartsTheSiblingsToo()
    {
        var lifecycleA = CreateTestProbe();
        var lifecycleB = CreateTestProbe();
        var strategy = new AllForOneStrategy(_ => Directive.Restart);
        var supervisor = Sys.ActorOf(Props.Create(() => new WorkerSupervisor(strategy, new[] { ("a", lifecycleA.Ref), ("b", lifecycleB.Ref) })));
        var a = await supervisor.Ask<IActorRef>(new GetChild("a"), Timeout);
        await lifecycleA.ExpectMsgAsync("PreStart");
        await lifecycleB.ExpectMsgAsync("PreStart");

        a.Tell(Kill.Instance);

        await lifecycleA.ExpectMsgAsync("PreRestart:ActorKilledException:Kill");
        await lifecycleB.ExpectMsgAsync("PreRestart:ActorKilledException:");
    }

    [Fact]
    public async Task Kill_IsNotAnUnhandledMessage_AndCarriesTheActorsPath()
    {
        using var unhandled = Sys.EventStream.CreateReader<UnhandledMessage>();
        Exception? seen = null;
        var strategy = new OneForOneStrategy(e =>
        {
            seen = e;
            return Directive.Resume;
        });
        var lifecycle = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new WorkerSupervisor(strategy, new[] { ("w", lifecycle.Ref) })));
        var worker = await supervisor.Ask<IActorRef>(new GetChild("w"), Timeout);

        worker.Tell(Kill.Instance);
        worker.Tell(new object());

        // Resumed, the worker goes on: the object after the Kill is unhandled, the Kill itself was not.
        var first = await unhandled.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(typeof(object), first.Message.GetType());
        var killed = Assert.IsType<ActorKilledException>(Volatile.Read(ref seen));
        Assert.Contains(worker.Path.ToString(), killed.Message);
    }

    [Fact]
    public void DefaultDecider_StopsAKilledActor()
    {
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorKilledException()));
        Assert.Equal(Directive.Restart, SupervisorStrategy.DefaultDecider(new InvalidOperationException()));
    }
}
