using Akka.Actor;
using Akka.Persistence;

namespace Orchestra.Persistence.Tests.Conformance;

/// <summary>Akka TCK's JournalSpec cases.</summary>
public abstract partial class PluginConformanceSpec
{
    [PluginFact]
    public async Task Replay_All_ReturnsEveryEventInOrderAndTheHighest()
    {
        await WriteAsync(Pid, [1], [2], [3], [4, 5]);

        var (events, highest) = await ReplayAsync(Pid);

        Assert.Equal([1L, 2, 3, 4, 5], events);
        Assert.Equal(5, highest);
    }

    [PluginFact]
    public async Task Replay_Ranges_ReturnExactlyTheRequestedEvents()
    {
        await WriteAsync(Pid, [1], [2], [3], [4, 5]);

        Assert.Equal([3L, 4, 5], (await ReplayAsync(Pid, from: 3)).SequenceNrs);
        Assert.Equal([1L, 2, 3], (await ReplayAsync(Pid, to: 3)).SequenceNrs);
        Assert.Equal([1L, 2, 3], (await ReplayAsync(Pid, max: 3)).SequenceNrs);
        Assert.Equal([2L, 3], (await ReplayAsync(Pid, from: 2, to: 3)).SequenceNrs);
        Assert.Equal([2L, 3], (await ReplayAsync(Pid, from: 2, to: 5, max: 2)).SequenceNrs);
        Assert.Equal([2L], (await ReplayAsync(Pid, from: 2, to: 2)).SequenceNrs);
        Assert.Equal([2L], (await ReplayAsync(Pid, from: 2, to: 4, max: 1)).SequenceNrs);
        var none = await ReplayAsync(Pid, from: 2, to: 4, max: 0);
        Assert.Empty(none.SequenceNrs);
        Assert.Equal(5, none.Highest);
        Assert.Empty((await ReplayAsync(Pid, from: 3, to: 2)).SequenceNrs);
    }

    [PluginFact]
    public async Task Replay_UnknownPersistenceId_RecoversEmptyAtZero()
    {
        var (events, highest) = await ReplayAsync("never-written");

        Assert.Empty(events);
        Assert.Equal(0, highest);
    }

    [PluginFact]
    public async Task DeleteTo_RemovesThePrefix_AndKeepsTheHighestSequenceNr()
    {
        await WriteAsync(Pid, [1], [2], [3], [4, 5]);
        var probe = CreateTestProbe();

        Journal.Tell(new DeleteMessagesTo(Pid, 3, probe.Ref));
        Assert.Equal(3, (await probe.ExpectMsgAsync<DeleteMessagesSuccess>()).ToSequenceNr);
        var afterPrefix = await ReplayAsync(Pid);

        Journal.Tell(new DeleteMessagesTo(Pid, long.MaxValue, probe.Ref));
        await probe.ExpectMsgAsync<DeleteMessagesSuccess>();
        var afterAll = await ReplayAsync(Pid);

        Assert.Equal([4L, 5], afterPrefix.SequenceNrs);
        Assert.Equal(5, afterPrefix.Highest);
        Assert.Empty(afterAll.SequenceNrs);
        Assert.Equal(5, afterAll.Highest);
    }

    [PluginFact]
    public async Task AtomicWrite_OfSeveralEvents_ReportsEachAndReplaysThemAll()
    {
        await WriteAsync(Pid, [1, 2, 3]);

        Assert.Equal([1L, 2, 3], (await ReplayAsync(Pid)).SequenceNrs);
    }

    [PluginFact]
    public async Task Events_RoundTrip_WithTheirPersistenceIdAndPayload()
    {
        var probe = CreateTestProbe();
        var write = new AtomicWrite(Event(Pid, 1, new TestEvent(Pid, 1, "hello")));

        Journal.Tell(new WriteMessages([write], probe.Ref, 1));
        await probe.ExpectMsgAsync<WriteMessagesSuccessful>();
        await probe.ExpectMsgAsync<WriteMessageSuccess>();
        Journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, Pid, probe.Ref));
        var replayed = await probe.ExpectMsgAsync<ReplayedMessage>();

        Assert.Equal(new TestEvent(Pid, 1, "hello"), replayed.Persistent.Payload);
        Assert.Equal(Pid, replayed.Persistent.PersistenceId);
        Assert.Equal(1, replayed.Persistent.SequenceNr);
        Assert.False(replayed.Persistent.IsDeleted);
        Assert.Equal(1, (await probe.ExpectMsgAsync<RecoverySuccess>()).HighestSequenceNr);
    }

    [PluginFact]
    public async Task ManyActors_PersistingConcurrently_EachReplaysItsOwnEventsInOrder()
    {
        const int Actors = 20;
        const int EventsEach = 10;
        var probe = CreateTestProbe();
        var actors = Enumerable.Range(0, Actors).Select(i => Sys.ActorOf(Props.Create(() => new RecordingActor($"{Pid}-{i}")))).ToList();

        for (var n = 0; n < EventsEach; n++)
        {
            foreach (var actor in actors)
            {
                actor.Tell(new RecordingActor.PersistCommand([$"e{n}"]), probe.Ref);
            }
        }

        for (var i = 0; i < Actors * EventsEach; i++)
        {
            await probe.ExpectMsgAsync<RecordingActor.Persisted>();
        }

        for (var i = 0; i < Actors; i++)
        {
            Assert.Equal(Enumerable.Range(1, EventsEach).Select(s => (long)s), (await ReplayAsync($"{Pid}-{i}")).SequenceNrs);
        }
    }

    [PluginFact]
    public async Task Actor_Restarted_RecoversFromSnapshotAndTheEventsAfterIt()
    {
        var probe = CreateTestProbe();
        var first = Sys.ActorOf(Props.Create(() => new RecordingActor(Pid)));
        first.Tell(new RecordingActor.PersistCommand(["a", "b"]), probe.Ref);
        await probe.ExpectMsgAsync<RecordingActor.Persisted>();
        await probe.ExpectMsgAsync<RecordingActor.Persisted>();
        first.Tell(new RecordingActor.SnapshotCommand(), probe.Ref);
        await probe.ExpectMsgAsync<SaveSnapshotSuccess>();
        first.Tell(new RecordingActor.PersistCommand(["c"]), probe.Ref);
        await probe.ExpectMsgAsync<RecordingActor.Persisted>();
        await StopAsync(first);

        var second = Sys.ActorOf(Props.Create(() => new RecordingActor(Pid)));
        second.Tell(new RecordingActor.GetApplied(), probe.Ref);
        var applied = await probe.ExpectMsgAsync<RecordingActor.Applied>();

        Assert.Equal(["a", "b", "c"], applied.Data);
        Assert.Equal(3, applied.LastSequenceNr);
    }

    [PluginFact]
    public async Task Persist_WhenTheJournalFails_StopsTheActor()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new RecordingActor(Pid)));
        actor.Tell(new RecordingActor.PersistCommand(["a"]), probe.Ref);
        await probe.ExpectMsgAsync<RecordingActor.Persisted>();
        probe.Watch(actor);

        await BreakJournalWritesAsync();
        actor.Tell(new RecordingActor.PersistCommand(["b"]), probe.Ref);

        Assert.Equal(actor, (await probe.ExpectMsgAsync<Terminated>()).ActorRef);
    }

    private async Task StopAsync(IActorRef actor)
    {
        var watcher = CreateTestProbe();
        watcher.Watch(actor);
        Sys.Stop(actor);
        await watcher.ExpectTerminatedAsync(actor);
    }
}
