using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Orchestra.Actors.Persistence;
using AtomicWrite = Akka.Persistence.AtomicWrite;

namespace Orchestra.Persistence.Tests.Conformance;

/// <summary>
/// What Orchestra's plugins promise beyond Akka's contract: fenced writes, a verdict per atomic write under group
/// commit, stable manifests; and the highest-sequence-number read that waits for outstanding writes (every journal).
/// </summary>
public abstract partial class PluginConformanceSpec
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Akka's plugin guide: a restarted actor may ask for its highest sequence number while the writes of its previous
    /// incarnation are still outstanding; the answer must include them, or the new incarnation reuses their numbers.
    /// The other actors' writes queued ahead keep the group commit busy when the question arrives.
    /// </summary>
    [PluginFact]
    public async Task HighestSequenceNr_WhileWritesAreOutstanding_WaitsForThem()
    {
        var others = CreateTestProbe();
        for (var i = 0; i < 300; i++)
        {
            Journal.Tell(new WriteMessages([new AtomicWrite(Event($"{Pid}-other-{i}", 1))], others.Ref, 1));
        }

        var oldIncarnation = CreateTestProbe();
        var write = new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(Event(Pid, 1), Event(Pid, 2), Event(Pid, 3)));
        Journal.Tell(new WriteMessages([write], oldIncarnation.Ref, 1));
        var newIncarnation = CreateTestProbe();
        Journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, Pid, newIncarnation.Ref));

        var replayed = new List<long>();
        long highest;
        while (true)
        {
            var message = await newIncarnation.ReceiveOneAsync(TimeSpan.FromSeconds(15));
            if (message is RecoverySuccess success)
            {
                highest = success.HighestSequenceNr;
                break;
            }

            replayed.Add(((ReplayedMessage)message!).Persistent.SequenceNr);
        }

        Assert.Equal(3, highest);
        Assert.Equal([1L, 2, 3], replayed);
        await oldIncarnation.ExpectMsgAsync<WriteMessagesSuccessful>();
    }

    [PluginFact(OrchestraOnly = true)]
    public async Task Fenced_UnderTheCurrentLease_IsStoredWithItsWriterAndEpoch()
    {
        var store = await OrchestraStoreAsync();
        var lease = await store.Persistence.Leases.TryAcquireAsync(Pid, "node-a", LeaseTtl);
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new RecordingActor(Pid)));

        actor.Tell(new RecordingActor.PersistCommand(["a", "b"], lease!.ToFencingToken()), probe.Ref);
        await probe.ExpectMsgAsync<RecordingActor.Persisted>();
        await probe.ExpectMsgAsync<RecordingActor.Persisted>();

        var stored = await ReadStoredAsync(store, Pid);
        Assert.Equal([1L, 2], stored.Select(e => e.SequenceNr));
        Assert.All(stored, e => Assert.Equal(("node-a", 1L), (e.Writer, e.Epoch)));
        Assert.All(stored, e => Assert.Equal("plugin-test-event.v1", e.Manifest));
        Assert.Equal([1L, 2], (await ReplayAsync(Pid)).SequenceNrs);
    }

    [PluginFact(OrchestraOnly = true)]
    public async Task Fenced_AfterTheLeaseMovedOn_IsRejectedAndTheActorGoesOn()
    {
        var store = await OrchestraStoreAsync();
        var stale = (await store.Persistence.Leases.TryAcquireAsync(Pid, "node-a", LeaseTtl))!;
        await store.Persistence.Leases.ReleaseAsync(stale);
        var current = await store.Persistence.Leases.TryAcquireAsync(Pid, "node-b", LeaseTtl);
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create(() => new RecordingActor(Pid)));

        actor.Tell(new RecordingActor.PersistCommand(["zombie"], stale.ToFencingToken()), probe.Ref);
        var rejected = await probe.ExpectMsgAsync<RecordingActor.Rejected>();
        actor.Tell(new RecordingActor.PersistCommand(["owner"], current!.ToFencingToken()), probe.Ref);
        await probe.ExpectMsgAsync<RecordingActor.Persisted>();

        var fenced = Assert.IsType<JournalFencedException>(rejected.Cause);
        Assert.Equal(("node-b", 2L), (fenced.CurrentOwner, fenced.CurrentEpoch));
        var stored = Assert.Single(await ReadStoredAsync(store, Pid));
        Assert.Equal(("node-b", 2L), (stored.Writer, stored.Epoch));
    }

    /// <summary>
    /// Many actors' writes arrive together and share the group commit; a sequence conflict of one and a stale fence of
    /// another are rejected on their own, and every other write is stored.
    /// </summary>
    [PluginFact(OrchestraOnly = true)]
    public async Task GroupCommit_RejectedWritesAmongMany_FailNoOtherWrite()
    {
        var store = await OrchestraStoreAsync();
        var stale = (await store.Persistence.Leases.TryAcquireAsync($"{Pid}-fenced", "node-a", LeaseTtl))!;
        await store.Persistence.Leases.ReleaseAsync(stale);
        await store.Persistence.Leases.TryAcquireAsync($"{Pid}-fenced", "node-b", LeaseTtl);
        await WriteAsync(Pid, [1]);

        var writers = Enumerable.Range(0, 100).Select(_ => CreateTestProbe()).ToList();
        var conflicting = CreateTestProbe();
        var fencedOut = CreateTestProbe();
        for (var i = 0; i < writers.Count; i++)
        {
            Journal.Tell(new WriteMessages([new AtomicWrite(Event($"{Pid}-{i}", 1))], writers[i].Ref, 1));
            if (i == 50)
            {
                Journal.Tell(new WriteMessages([new AtomicWrite(Event(Pid, 1))], conflicting.Ref, 1));
                var fenced = new Fenced(stale.ToFencingToken(), new TestEvent($"{Pid}-fenced", 1));
                Journal.Tell(new WriteMessages([new AtomicWrite(Event($"{Pid}-fenced", 1, fenced))], fencedOut.Ref, 1));
            }
        }

        foreach (var writer in writers)
        {
            await writer.ExpectMsgAsync<WriteMessagesSuccessful>();
            await writer.ExpectMsgAsync<WriteMessageSuccess>();
        }

        await conflicting.ExpectMsgAsync<WriteMessagesSuccessful>();
        Assert.IsType<JournalConcurrencyException>((await conflicting.ExpectMsgAsync<WriteMessageRejected>()).Cause);
        await fencedOut.ExpectMsgAsync<WriteMessagesSuccessful>();
        Assert.IsType<JournalFencedException>((await fencedOut.ExpectMsgAsync<WriteMessageRejected>()).Cause);
        Assert.Empty(await ReadStoredAsync(store, $"{Pid}-fenced"));
        Assert.Equal(100, (await ReadStoredAsync(store, null)).Count(e => e.PersistenceId.StartsWith(Pid + "-", StringComparison.Ordinal)));
    }

    /// <summary>Akka TCK's "may reject non-serializable events": here a type without a stable manifest.</summary>
    [PluginFact(OrchestraOnly = true)]
    public async Task Write_OfATypeWithoutManifest_IsRejectedAlone()
    {
        var probe = CreateTestProbe();
        var writes = new[]
        {
            new AtomicWrite(Event(Pid, 1)),
            new AtomicWrite(Event(Pid, 2, new UnregisteredEvent("x"))),
            new AtomicWrite(Event(Pid, 3)),
        };

        Journal.Tell(new WriteMessages(writes, probe.Ref, 1));

        await probe.ExpectMsgAsync<WriteMessagesSuccessful>();
        Assert.Equal(1, (await probe.ExpectMsgAsync<WriteMessageSuccess>()).Persistent.SequenceNr);
        Assert.IsType<EventSerializationException>((await probe.ExpectMsgAsync<WriteMessageRejected>()).Cause);
        Assert.Equal(3, (await probe.ExpectMsgAsync<WriteMessageSuccess>()).Persistent.SequenceNr);
        Assert.Equal([1L, 3], (await ReplayAsync(Pid)).SequenceNrs);
    }

    [PluginFact(OrchestraOnly = true)]
    public async Task AtomicWrite_WithEventsUnderDifferentFences_IsRejectedWhole()
    {
        var store = await OrchestraStoreAsync();
        var lease = await store.Persistence.Leases.TryAcquireAsync(Pid, "node-a", LeaseTtl);
        var probe = CreateTestProbe();
        var write = new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(
            Event(Pid, 1, new Fenced(lease!.ToFencingToken(), new TestEvent(Pid, 1))),
            Event(Pid, 2)));

        Journal.Tell(new WriteMessages([write], probe.Ref, 1));

        await probe.ExpectMsgAsync<WriteMessagesSuccessful>();
        Assert.IsType<ArgumentException>((await probe.ExpectMsgAsync<WriteMessageRejected>()).Cause);
        await probe.ExpectMsgAsync<WriteMessageRejected>();
        Assert.Empty(await ReadStoredAsync(store, Pid));
    }

    private static async Task<List<JournalEvent>> ReadStoredAsync(OrchestraPluginStore store, string? pid)
    {
        var events = new List<JournalEvent>();
        var source = pid is null ? store.Persistence.Journal.ReadAllEventsAsync(0) : store.Persistence.Journal.ReadEventsAsync(pid);
        await foreach (var e in source)
        {
            events.Add(e);
        }

        return events;
    }
}
