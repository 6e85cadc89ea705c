using System.Collections.Concurrent;
using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Actors;

[Trait("Category", "Unit")]
public sealed class MailboxTests : ActorTestKit
{
    private sealed record Msg(int Sender, int Seq);

    private sealed record GetLog;

    private sealed class Recorder : ReceiveActor
    {
        private readonly List<Msg> _log = [];

        public Recorder()
        {
            Receive<Msg>(_log.Add);
            Receive<GetLog>(_ => Sender.Tell(_log.ToArray()));
        }
    }

    [Fact]
    public async Task Tell_FromManyConcurrentSenders_KeepsPerSenderOrder()
    {
        const int senders = 8;
        const int perSender = 5_000;
        var actor = Sys.ActorOf(Props.Create(() => new Recorder()), "recorder");

        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++)
            {
                actor.Tell(new Msg(s, i));
            }
        })));

        var log = await actor.Ask<Msg[]>(new GetLog(), TimeSpan.FromSeconds(20));
        Assert.Equal(senders * perSender, log.Length);
        foreach (var group in log.GroupBy(m => m.Sender))
        {
            Assert.Equal(Enumerable.Range(0, perSender), group.Select(m => m.Seq));
        }
    }

    private sealed class AsyncCounter : ReceiveActor
    {
        private int _inFlight;
        private int _maxInFlight;
        private readonly List<int> _order = [];

        public AsyncCounter()
        {
            ReceiveAsync<int>(async i =>
            {
                var now = Interlocked.Increment(ref _inFlight);
                _maxInFlight = Math.Max(_maxInFlight, now);
                await Task.Yield();
                await Task.Delay(1);
                _order.Add(i);
                Interlocked.Decrement(ref _inFlight);
            });
            Receive<string>(_ => Sender.Tell((_maxInFlight, _order.ToArray())));
        }
    }

    [Fact]
    public async Task ReceiveAsync_ProcessesOneMessageAtATime_AcrossAwaits()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncCounter()));
        for (var i = 0; i < 50; i++)
        {
            actor.Tell(i);
        }

        var (maxInFlight, order) = await actor.Ask<(int, int[])>("report", TimeSpan.FromSeconds(20));
        Assert.Equal(1, maxInFlight);
        Assert.Equal(Enumerable.Range(0, 50), order);
    }

    private sealed class Sleeper : ReceiveActor
    {
        public Sleeper(TaskCompletionSource gate, TestProbe probe)
        {
            ReceiveAsync<string>(async s =>
            {
                probe.Ref.Tell("started:" + s);
                await gate.Task;
                probe.Ref.Tell("done:" + s);
            });
        }
    }

    [Fact]
    public async Task ReceiveAsync_HoldsNextMessage_UntilTaskCompletes()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new Sleeper(gate, probe)));
        actor.Tell("a");
        actor.Tell("b");

        await probe.ExpectMsgAsync("started:a");
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        gate.SetResult();
        await probe.ExpectMsgAsync("done:a");
        await probe.ExpectMsgAsync("started:b");
        await probe.ExpectMsgAsync("done:b");
    }

    [Fact]
    public async Task ActorOf_WithDuplicateName_Throws()
    {
        Sys.ActorOf(Props.Create(() => new Recorder()), "same");
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Recorder()), "same"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Recorder()), "a/b"));
        var generated = Enumerable.Range(0, 100).Select(_ => Sys.ActorOf(Props.Create(() => new Recorder())).Path.Name).ToHashSet();
        Assert.Equal(100, generated.Count);
        await Task.CompletedTask;
    }

    [Fact]
    public void NewActor_OutsideProps_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new Recorder());
    }

    private sealed class SenderEcho : ReceiveActor
    {
        public SenderEcho(IActorRef target)
        {
            Receive<string>(s => target.Tell(s));
        }
    }

    [Fact]
    public async Task Tell_FromInsideActor_CarriesSelfAsImplicitSender()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new SenderEcho(probe.Ref)));
        actor.Tell("hi");
        await probe.ExpectMsgAsync("hi");
        Assert.Equal(actor, probe.LastSender);
    }

    [Fact]
    public async Task Throughput_OfOne_StillDeliversEverything()
    {
        await using var system = ActorSystem.Create("tp1", new ActorSystemOptions { Throughput = 1 });
        var actor = system.ActorOf(Props.Create(() => new Recorder()));
        for (var i = 0; i < 1000; i++)
        {
            actor.Tell(new Msg(0, i));
        }

        var log = await actor.Ask<Msg[]>(new GetLog(), TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(0, 1000), log.Select(m => m.Seq));
    }

    private sealed class ChildMaker : ReceiveActor
    {
        public ChildMaker(ConcurrentBag<string> events)
        {
            Receive<string>(name =>
            {
                var child = Context.ActorOf(Props.Create(() => new Recorder()), name);
                Sender.Tell(child);
            });
            Receive<int>(_ => Sender.Tell(Context.GetChildren().Count));
        }
    }

    [Fact]
    public async Task Children_AreListedByName_AndStoppedWithParent()
    {
        var parent = Sys.ActorOf(Props.Create(() => new ChildMaker([])));
        var child = await parent.Ask<IActorRef>("kid", TimeSpan.FromSeconds(10));
        Assert.Equal("kid", child.Path.Name);
        Assert.Equal(parent.Path, child.Path.Parent);
        Assert.Equal(1, await parent.Ask<int>(0, TimeSpan.FromSeconds(10)));

        var probe = CreateTestProbe();
        await probe.WatchAsync(child);
        Sys.Stop(parent);
        await probe.ExpectTerminatedAsync(child);
    }
}
