using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Ask;

[Trait("Category", "Unit")]
public sealed class AskTests : ActorTestKit
{
    private sealed class Responder : ReceiveActor
    {
        public Responder()
        {
            Receive<int>(i => Sender.Tell(i * 2));
            Receive<string>(s => s == "fail", _ => Sender.Tell(new Status.Failure(new InvalidOperationException("boom"))));
            Receive<string>(s => s == "silent", _ => { });
            Receive<string>(s => Sender.Tell(s.Length));
        }
    }

    [Fact]
    public async Task Ask_ReturnsReply_AndReleasesTempRef()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Responder()));
        Assert.Equal(42, await actor.Ask<int>(21, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, Sys.PendingAskCount);
    }

    [Fact]
    public async Task Ask_WithFailureReply_Throws()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Responder()));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => actor.Ask<int>("fail", TimeSpan.FromSeconds(10)));
        Assert.Equal("boom", ex.Message);
        Assert.Equal(0, Sys.PendingAskCount);
    }

    [Fact]
    public async Task Ask_WithWrongReplyType_Throws()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Responder()));
        await Assert.ThrowsAsync<InvalidCastException>(() => actor.Ask<string>(1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Ask_WithoutReply_TimesOut_WithoutLeak()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Responder()));
        var asks = Enumerable.Range(0, 100).Select(_ => actor.Ask<int>("silent", TimeSpan.FromMilliseconds(50))).ToArray();
        foreach (var ask in asks)
        {
            await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        }

        Assert.Equal(0, Sys.PendingAskCount);
    }

    [Fact]
    public async Task Ask_Cancelled_ThrowsOperationCanceled_WithoutLeak()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Responder()));
        using var cts = new CancellationTokenSource();
        var ask = actor.Ask<int>("silent", TimeSpan.FromMinutes(5), cts.Token);
        Assert.Equal(1, Sys.PendingAskCount);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
        Assert.Equal(0, Sys.PendingAskCount);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => actor.Ask<int>(1, TimeSpan.FromSeconds(1), cts.Token));
        Assert.Equal(0, Sys.PendingAskCount);
    }

    [Fact]
    public async Task LateReply_BecomesDeadLetter()
    {
        var probe = CreateTestProbe();
        var ask = probe.Ref.Ask<int>("question", TimeSpan.FromMilliseconds(50));
        await probe.ExpectMsgAsync("question");
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        var before = Sys.DeadLetterCount;
        probe.Reply(7);
        await AwaitConditionAsync(() => Sys.DeadLetterCount == before + 1);
    }
}

[Trait("Category", "Unit")]
public sealed class AskManualClockTests() : ActorTestKit(new ActorTestKitOptions { UseManualTime = true })
{
    [Fact]
    public async Task Ask_TimesOut_OnTheSystemClock()
    {
        var probe = CreateTestProbe();
        var ask = probe.Ref.Ask<int>("q", TimeSpan.FromSeconds(30));
        await probe.ExpectMsgAsync("q");
        Clock!.Advance(TimeSpan.FromSeconds(29));
        Assert.False(ask.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        Assert.Equal(0, Sys.PendingAskCount);
        Assert.Equal(0, Clock.ActiveTimerCount);
    }
}
