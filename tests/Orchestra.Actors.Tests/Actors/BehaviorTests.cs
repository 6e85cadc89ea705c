using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Actors;

[Trait("Category", "Unit")]
public sealed class BehaviorTests : ActorTestKit
{
    private sealed class Door : ReceiveActor
    {
        public Door(IActorRef report)
        {
            Closed();

            void Closed()
            {
                Receive<string>(s => s == "open", _ =>
                {
                    Become(Opened);
                    Stash.UnstashAll();
                });
                Receive<string>(_ => Stash.Stash());
            }

            void Opened()
            {
                Receive<string>(s => s == "close", _ => Become(Closed));
                Receive<string>(s => report.Tell("passed:" + s));
            }
        }
    }

    [Fact]
    public async Task Stash_HoldsMessagesUntilUnstashAll_InOriginalOrder()
    {
        var probe = CreateTestProbe();
        var door = Sys.ActorOf(Props.Create(() => new Door(probe.Ref)));
        door.Tell("a");
        door.Tell("b");
        door.Tell("c");
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        door.Tell("open");
        await probe.ExpectMsgAsync("passed:a");
        await probe.ExpectMsgAsync("passed:b");
        await probe.ExpectMsgAsync("passed:c");
        door.Tell("d");
        await probe.ExpectMsgAsync("passed:d");
        door.Tell("close");
        door.Tell("e");
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    private sealed class Stacked : ReceiveActor
    {
        public Stacked()
        {
            Receive<string>(s => s == "push", _ => BecomeStacked(() =>
            {
                Receive<string>(s => s == "pop", _ => Unbecome());
                Receive<string>(_ => Sender.Tell("top"));
            }));
            Receive<string>(_ => Sender.Tell("base"));
        }
    }

    [Fact]
    public async Task BecomeStacked_AndUnbecome_SwitchBehaviour()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Stacked()));
        Assert.Equal("base", await actor.Ask<string>("x", TimeSpan.FromSeconds(10)));
        actor.Tell("push");
        Assert.Equal("top", await actor.Ask<string>("x", TimeSpan.FromSeconds(10)));
        actor.Tell("pop");
        Assert.Equal("base", await actor.Ask<string>("x", TimeSpan.FromSeconds(10)));
    }

    private sealed record Work(int Input);

    private sealed record WorkDone(int Output);

    private sealed class Piper : ReceiveActor
    {
        public Piper(IActorRef report, TaskCompletionSource<int> slowWork)
        {
            Receive<Work>(w => slowWork.Task.PipeTo(Self, success: r => new WorkDone(r + w.Input), failure: ex => new Status.Failure(ex)));
            Receive<WorkDone>(d => report.Tell(d));
            Receive<Status.Failure>(f => report.Tell(f.Cause.Message));
            Receive<string>(s => report.Tell("responsive:" + s));
        }
    }

    [Fact]
    public async Task PipeTo_DeliversResultAsMessage_WhileActorStaysResponsive()
    {
        var probe = CreateTestProbe();
        var work = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new Piper(probe.Ref, work)));
        actor.Tell(new Work(1));
        actor.Tell("ping");
        await probe.ExpectMsgAsync("responsive:ping");
        work.SetResult(41);
        Assert.Equal(42, (await probe.ExpectMsgAsync<WorkDone>()).Output);
    }

    [Fact]
    public async Task PipeTo_DeliversFailureAsMessage()
    {
        var probe = CreateTestProbe();
        var work = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new Piper(probe.Ref, work)));
        actor.Tell(new Work(1));
        work.SetException(new InvalidOperationException("script failed"));
        await probe.ExpectMsgAsync("script failed");
    }
}
