using System.Collections.Concurrent;
using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Actors;

[Trait("Category", "Unit")]
public sealed class ShutdownTests
{
    private sealed class Node : ReceiveActor
    {
        private readonly ConcurrentQueue<string> _stops;
        private readonly StrongBox _count;

        public Node(int children, ConcurrentQueue<string> stops, StrongBox count)
        {
            _stops = stops;
            _count = count;
            for (var i = 0; i < children; i++)
            {
                Context.ActorOf(Props.Create(() => new Node(0, stops, count)), "c" + i);
            }

            ReceiveAny(_ => Sender.Tell("ready"));
        }

        protected override void PostStop()
        {
            Interlocked.Increment(ref _count.Value);
            if (Context.Parent.Path.Name != "user")
            {
                _stops.Enqueue("child:" + Context.Parent.Path.Name);
            }
            else
            {
                _stops.Enqueue("parent:" + Self.Path.Name);
            }
        }
    }

    internal sealed class StrongBox
    {
        public int Value;
    }

    [Fact]
    public async Task Terminate_WithTenThousandActors_RunsEveryPostStop_ChildrenBeforeParents()
    {
        var system = ActorSystem.Create("shutdown");
        var stops = new ConcurrentQueue<string>();
        var count = new StrongBox();
        const int parents = 1_000;
        const int childrenEach = 9;
        var refs = new List<IActorRef>();
        for (var i = 0; i < parents; i++)
        {
            refs.Add(system.ActorOf(Props.Create(() => new Node(childrenEach, stops, count)), "p" + i));
        }

        await Task.WhenAll(refs.Select(r => r.Ask<string>("ping", TimeSpan.FromSeconds(20))));

        await system.TerminateAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
        Assert.Equal(parents * (childrenEach + 1), count.Value);
        var order = stops.ToArray();
        for (var p = 0; p < parents; p++)
        {
            var parentIndex = Array.IndexOf(order, "parent:p" + p);
            var lastChild = Array.LastIndexOf(order, "child:p" + p);
            Assert.True(lastChild < parentIndex, $"children of p{p} must stop before it");
        }

        Assert.Equal(0, system.PendingAskCount);
        Assert.Throws<InvalidOperationException>(() => system.ActorOf(Props.Create(() => new Node(0, stops, count))));
    }

    [Fact]
    public async Task MessagesAfterTermination_AreDeadLetters()
    {
        var system = ActorSystem.Create("after");
        var actor = system.ActorOf(Props.Create(() => new Node(0, new(), new())));
        await system.TerminateAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var before = system.DeadLetterCount;
        actor.Tell("late");
        Assert.Equal(before + 1, system.DeadLetterCount);
    }
}
