using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.DeathWatch;

[Trait("Category", "Unit")]
public sealed class DeathWatchTests : ActorTestKit
{
    private sealed class Idle : ReceiveActor
    {
        public Idle() => ReceiveAny(_ => { });
    }

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef target, IActorRef report)
        {
            Context.Watch(target);
            Receive<Terminated>(t => report.Tell(t));
            Receive<string>(s => s == "unwatch", _ =>
            {
                Context.Unwatch(target);
                Sender.Tell("unwatched");
            });
        }
    }

    [Fact]
    public async Task Terminated_IsDelivered_WhenWatchedActorStops()
    {
        var probe = CreateTestProbe();
        var target = Sys.ActorOf(Props.Create(() => new Idle()));
        Sys.ActorOf(Props.Create(() => new Watcher(target, probe.Ref)));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        Sys.Stop(target);
        var terminated = await probe.ExpectMsgAsync<Terminated>();
        Assert.Equal(target, terminated.ActorRef);
    }

    [Fact]
    public async Task Terminated_IsDeliveredAtOnce_WhenWatchingAnAlreadyDeadActor()
    {
        var probe = CreateTestProbe();
        var target = Sys.ActorOf(Props.Create(() => new Idle()));
        await probe.WatchAsync(target);
        target.Tell(PoisonPill.Instance);
        await probe.ExpectTerminatedAsync(target);

        var late = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new Watcher(target, late.Ref)));
        var terminated = await late.ExpectMsgAsync<Terminated>();
        Assert.Equal(target, terminated.ActorRef);
    }

    [Fact]
    public async Task Unwatch_PreventsTerminated()
    {
        var probe = CreateTestProbe();
        var target = Sys.ActorOf(Props.Create(() => new Idle()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(target, probe.Ref)));
        Assert.Equal("unwatched", await watcher.Ask<string>("unwatch", TimeSpan.FromSeconds(10)));
        Sys.Stop(target);
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    private sealed class NoTerminatedHandler : ReceiveActor
    {
        public NoTerminatedHandler(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => { });
        }
    }

    [Fact]
    public async Task UnhandledTerminated_FailsWatcherWithDeathPact_AndDefaultStrategyStopsIt()
    {
        var probe = CreateTestProbe();
        var target = Sys.ActorOf(Props.Create(() => new Idle()));
        var watcher = Sys.ActorOf(Props.Create(() => new NoTerminatedHandler(target)));
        await probe.WatchAsync(watcher);
        Sys.Stop(target);
        await probe.ExpectTerminatedAsync(watcher);
    }

    private sealed class Chatty : ReceiveActor
    {
        public Chatty(IActorRef to) => Receive<int>(i =>
        {
            to.Tell(i);
            if (i == 99)
            {
                Context.Stop(Self);
            }
        });
    }

    [Fact]
    public async Task Terminated_ArrivesAfterEverythingTheDeadActorSent()
    {
        var probe = CreateTestProbe();
        var chatty = Sys.ActorOf(Props.Create(() => new Chatty(probe.Ref)));
        await probe.WatchAsync(chatty);
        for (var i = 0; i < 100; i++)
        {
            chatty.Tell(i);
        }

        var received = await probe.ReceiveNAsync(101);
        Assert.Equal(Enumerable.Range(0, 100).Cast<object>(), received.Take(100));
        Assert.IsType<Terminated>(received[100]);
    }
}
