using System.Collections.Concurrent;
using Orchestra.Actors.Events;
using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Events;

[Trait("Category", "Unit")]
public sealed class EventStreamTests : ActorTestKit
{
    private record NodeEvent(string Node);

    private sealed record NodeStarted(string Node) : NodeEvent(Node);

    private sealed class Silent : ReceiveActor
    {
        public Silent() => Receive<int>(_ => { });
    }

    [Fact]
    public async Task ActorSubscriber_ReceivesEventsOfTypeAndSubtypes_UntilUnsubscribed()
    {
        var probe = CreateTestProbe();
        Assert.True(Sys.EventStream.Subscribe(probe.Ref, typeof(NodeEvent)));
        Assert.False(Sys.EventStream.Subscribe(probe.Ref, typeof(NodeEvent)));
        Sys.EventStream.Publish(new NodeStarted("a"));
        Sys.EventStream.Publish("not a node event");
        Assert.Equal("a", (await probe.ExpectMsgAsync<NodeStarted>()).Node);
        Assert.True(Sys.EventStream.Unsubscribe(probe.Ref, typeof(NodeEvent)));
        Sys.EventStream.Publish(new NodeStarted("b"));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void CallbackSubscriber_ReceivesEvents_UntilDisposed()
    {
        var seen = new ConcurrentQueue<string>();
        var subscription = Sys.EventStream.Subscribe<NodeEvent>(e => seen.Enqueue(e.Node));
        Sys.EventStream.Publish(new NodeStarted("a"));
        Sys.EventStream.Publish(new NodeEvent("b"));
        subscription.Dispose();
        Sys.EventStream.Publish(new NodeStarted("c"));
        Assert.Equal(["a", "b"], seen);
    }

    [Fact]
    public async Task Reader_BuffersEvents_ForAnAsyncConsumer()
    {
        using var reader = Sys.EventStream.CreateReader<NodeStarted>(capacity: 2);
        Sys.EventStream.Publish(new NodeStarted("a"));
        Sys.EventStream.Publish(new NodeStarted("b"));
        Sys.EventStream.Publish(new NodeStarted("c"));
        Assert.Equal("b", (await reader.Reader.ReadAsync()).Node);
        Assert.Equal("c", (await reader.Reader.ReadAsync()).Node);
        reader.Dispose();
        Sys.EventStream.Publish(new NodeStarted("d"));
        Assert.False(await reader.Reader.WaitToReadAsync());
    }

    [Fact]
    public async Task DeadLetters_AreCounted_AndPublished()
    {
        using var reader = Sys.EventStream.CreateReader<DeadLetter>();
        var actor = Sys.ActorOf(Props.Create(() => new Silent()));
        var probe = CreateTestProbe();
        await probe.WatchAsync(actor);
        Sys.Stop(actor);
        await probe.ExpectTerminatedAsync(actor);

        var before = Sys.DeadLetterCount;
        actor.Tell("lost", probe.Ref);
        Assert.Equal(before + 1, Sys.DeadLetterCount);
        var letter = await reader.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("lost", letter.Message);
        Assert.Equal(actor, letter.Recipient);
        Assert.Equal(probe.Ref, letter.Sender);

        Sys.DeadLetters.Tell("direct");
        Assert.Equal(before + 2, Sys.DeadLetterCount);
    }

    [Fact]
    public async Task UnhandledMessages_ArePublished()
    {
        using var reader = Sys.EventStream.CreateReader<UnhandledMessage>();
        var actor = Sys.ActorOf(Props.Create(() => new Silent()));
        actor.Tell("what?");
        var unhandled = await reader.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("what?", unhandled.Message);
        Assert.Equal(1, Sys.UnhandledCount);
    }

    [Fact]
    public async Task StoppedActorSubscriber_IsUnsubscribed()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new Silent()));
        Sys.EventStream.Subscribe(actor, typeof(NodeEvent));
        await probe.WatchAsync(actor);
        Sys.Stop(actor);
        await probe.ExpectTerminatedAsync(actor);
        Assert.False(Sys.EventStream.Unsubscribe(actor));
    }
}
