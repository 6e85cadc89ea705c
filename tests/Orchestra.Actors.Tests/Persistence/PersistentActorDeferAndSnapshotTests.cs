using Orchestra.Actors.Persistence;
using Orchestra.Actors.TestKit;

namespace Orchestra.Actors.Tests.Persistence;

/// <summary>Defer, async snapshot handlers, and writes made by <c>OnRecoveryCompleted</c>, on the in-memory stores.</summary>
[Trait("Category", "Unit")]
public sealed class PersistentActorDeferAndSnapshotTests : ActorTestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly InMemoryPersistence _stores = new();

    private IActorRef Spawn(LedgerSetup setup) => Sys.ActorOf(Props.Create(() => new Ledger(setup)));

    private LedgerSetup Setup(string id, TestProbe log, IJournal? journal = null) => new(id, journal ?? _stores.Journal, _stores.Snapshots, log.Ref);

    private async Task SeedAsync(string id, params string[] texts)
    {
        var events = texts.Select((t, i) => LedgerSerializer.Instance.ToAppend(i + 1, new Noted(t))).ToArray();
        var result = await _stores.Journal.AppendAsync(new AtomicWrite(id, events));
        Assert.True(result.IsSuccess);
    }

    private async Task SaveSnapshotAsync(string id, long sequenceNr, object state)
    {
        var serialized = LedgerSerializer.Instance.Serialize(state);
        await _stores.Snapshots.SaveAsync(id, sequenceNr, serialized.Manifest, serialized.Payload);
    }

    private async Task<string[]> StoredTextsAsync(string id) =>
        [.. (await _stores.Journal.ReadEventsAsync(id).ToListAsync()).Select(e => ((Noted)LedgerSerializer.Instance.Deserialize(e)).Text)];

    [Fact]
    public async Task Defer_RunsAfterTheHandlersOfEarlierEvents_OnceDurable_AndCanReply()
    {
        var journal = new ControlledJournal(_stores.Journal) { AppendGate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var log = CreateTestProbe();
        var ledger = Spawn(Setup("defer-order", log, journal));
        await log.ExpectMsgAsync("recovered");

        var reply = ledger.Ask<NoteDone>(new Note("a", "b"), Timeout);
        await AwaitConditionAsync(() => Volatile.Read(ref journal.AppendsStarted) == 1);

        // A deferred handler run at once would have replied synchronously, before the append began.
        Assert.False(reply.IsCompleted);
        journal.AppendGate.SetResult();

        var done = await reply;
        Assert.Equal(["a", "b"], done.Lines);
        Assert.Equal(2, done.LastSequenceNr);
        await log.ExpectMsgAsync("command-saw:");
        await log.ExpectMsgAsync("event:a");
        await log.ExpectMsgAsync("deferred:a");
        await log.ExpectMsgAsync("event:b");
        await log.ExpectMsgAsync("deferred:b");
        Assert.Equal(1, Volatile.Read(ref journal.AppendsStarted));
        Assert.Equal(["a", "b"], await StoredTextsAsync("defer-order"));
    }

    [Fact]
    public async Task Defer_WithNothingPending_RunsAtOnce_WithoutAWrite()
    {
        var journal = new ControlledJournal(_stores.Journal);
        var log = CreateTestProbe();
        var ledger = Spawn(Setup("defer-now", log, journal));
        await log.ExpectMsgAsync("recovered");

        Assert.Equal("ok", await ledger.Ask<string>(new DeferNow(), Timeout));

        await log.ExpectMsgAsync("before-defer");
        await log.ExpectMsgAsync("deferred-now");
        await log.ExpectMsgAsync("after-defer");
        Assert.Equal(0, Volatile.Read(ref journal.AppendsStarted));
    }

    [Fact]
    public async Task Defer_InAnEventHandler_RunsAfterTheRestOfTheCommandsEvents()
    {
        var log = CreateTestProbe();
        var ledger = Spawn(Setup("defer-nested", log));
        await log.ExpectMsgAsync("recovered");

        ledger.Tell(new DeferInHandler("a", "b", "c"));

        // "b" was persisted before the first handler deferred: its handler runs first. "c" is persisted by that handler,
        // after the first Defer and before the second, so it lands between them.
        await log.ExpectMsgAsync("event:a");
        await log.ExpectMsgAsync("event:b");
        await log.ExpectMsgAsync("deferred-in-handler:a,b");
        await log.ExpectMsgAsync("event:c");
        await log.ExpectMsgAsync("deferred-after-nested:a,b,c");
        Assert.Equal(["a", "b", "c"], await StoredTextsAsync("defer-nested"));
    }

    [Fact]
    public async Task Defer_IsNotRun_WhenTheWriteIsRejectedForASequenceConflict()
    {
        var log = CreateTestProbe();
        var ledger = Spawn(Setup("defer-conflict", log) with { ContinueOnRejection = true });
        await log.ExpectMsgAsync("recovered");

        // Another writer takes sequence number 1 behind the actor's back.
        await SeedAsync("defer-conflict", "intruder");
        log.Send(ledger, new Note("a"));
        log.Send(ledger, new GetLines());

        await log.ExpectMsgAsync("command-saw:");
        await log.ExpectMsgAsync("rejected:JournalConcurrencyException:1");

        // The mailbox is ordered: an event handler, deferred log or deferred reply of the rejected write would come first.
        var view = await log.ExpectMsgAsync<LedgerView>();
        Assert.Empty(view.Lines);
        Assert.Equal(0, view.LastSequenceNr);
        Assert.Equal(["intruder"], await StoredTextsAsync("defer-conflict"));
    }

    [Fact]
    public async Task Defer_IsNotRun_WhenTheWriteIsFencedByAStaleLease()
    {
        var clock = new ManualTimeProvider();
        var stores = new InMemoryPersistence(clock);
        var lease = await stores.Leases.TryAcquireAsync("defer-fenced", "node-a", TimeSpan.FromMinutes(1));
        Assert.NotNull(lease);
        var log = CreateTestProbe();
        var setup = new LedgerSetup("defer-fenced", stores.Journal, stores.Snapshots, log.Ref) { Fence = lease.ToFencingToken() };
        var ledger = Spawn(setup);
        await log.WatchAsync(ledger);
        await log.ExpectMsgAsync("recovered");
        log.Send(ledger, new Note("a"));
        await log.ExpectMsgAsync("command-saw:");
        await log.ExpectMsgAsync("event:a");
        await log.ExpectMsgAsync("deferred:a");
        await log.ExpectMsgAsync<NoteDone>();

        // The lease expires and node-b takes over: node-a's fence is now stale.
        clock.Advance(TimeSpan.FromMinutes(2));
        var takeover = await stores.Leases.TryAcquireAsync("defer-fenced", "node-b", TimeSpan.FromMinutes(1));
        Assert.NotNull(takeover);
        Assert.True(takeover.Epoch > lease.Epoch);
        log.Send(ledger, new Note("b"));

        await log.ExpectMsgAsync("command-saw:a");
        await log.ExpectMsgAsync("rejected:JournalFencedException:2");

        // Terminated is delivered after everything the actor sent to the watcher: no handler of "b" ran.
        await log.ExpectTerminatedAsync(ledger);
        Assert.Equal(1, await stores.Journal.ReadHighestSequenceNrAsync("defer-fenced"));
    }

    [Fact]
    public async Task Defer_IsNotRun_WhenTheWriteFails()
    {
        var journal = new ControlledJournal(_stores.Journal) { AppendFailure = new IOException("disk gone") };
        var log = CreateTestProbe();
        var ledger = Spawn(Setup("defer-failed", log, journal));
        await log.WatchAsync(ledger);
        await log.ExpectMsgAsync("recovered");

        log.Send(ledger, new Note("a", "b"));

        await log.ExpectMsgAsync("command-saw:");
        await log.ExpectMsgAsync("persist-failed:1");
        await log.ExpectTerminatedAsync(ledger);
        Assert.Equal(0, await _stores.Journal.ReadHighestSequenceNrAsync("defer-failed"));
    }

    [Fact]
    public async Task AsyncSnapshotHandler_ReadsTheJournal_ThenReplayContinuesAfterTheSnapshot()
    {
        await SeedAsync("tail", "header", "b", "c", "d");
        await SaveSnapshotAsync("tail", 3, new LedgerTailSnapshot(["b", "c"]));
        var log = CreateTestProbe();

        var ledger = Spawn(Setup("tail", log));

        // LastSequenceNr is the snapshot's both before and after the handler's awaits; only event 4 is replayed, after it.
        await log.ExpectMsgAsync("tail-snapshot-start:3");
        await log.ExpectMsgAsync("tail-snapshot-done:3:header");
        await log.ExpectMsgAsync("replayed:d");
        await log.ExpectMsgAsync("recovered");
        var view = await ledger.Ask<LedgerView>(new GetLines(), Timeout);
        Assert.Equal(["header", "b", "c", "d"], view.Lines);
        Assert.Equal(4, view.LastSequenceNr);
    }

    [Fact]
    public async Task SyncSnapshotHandler_SeesTheSnapshotsSequenceNr()
    {
        await SeedAsync("plain", "a", "b", "c");
        await SaveSnapshotAsync("plain", 2, new LedgerSnapshot(["a", "b"]));
        var log = CreateTestProbe();

        var ledger = Spawn(Setup("plain", log));

        await log.ExpectMsgAsync("snapshot:2");
        await log.ExpectMsgAsync("replayed:c");
        await log.ExpectMsgAsync("recovered");
        Assert.Equal(["a", "b", "c"], (await ledger.Ask<LedgerView>(new GetLines(), Timeout)).Lines);
    }

    [Fact]
    public async Task AsyncSnapshotHandler_Throwing_FailsRecovery_NamingTheSnapshot()
    {
        await SeedAsync("tail-bad", "header", "b", "c", "d");
        await SaveSnapshotAsync("tail-bad", 3, new LedgerTailSnapshot(["b", "c"]));
        var journal = new ControlledJournal(_stores.Journal) { ReadGate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var failures = Sys.EventStream.CreateReader<RecoveryFailed>();
        var log = CreateTestProbe();
        var requester = CreateTestProbe();

        var ledger = Spawn(Setup("tail-bad", log, journal) with { FailTailSnapshot = true });
        await requester.WatchAsync(ledger);
        requester.Send(ledger, new GetLines());

        // The handler is inside its journal read: the command above is certainly queued behind the recovery.
        await AwaitConditionAsync(() => journal.Reading == 1);
        journal.ReadGate.SetResult();

        var failed = await failures.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal("tail-bad", failed.PersistenceId);
        Assert.Equal(3, failed.SequenceNr);
        Assert.Equal(LedgerSerializer.TailSnapshotManifest, failed.Manifest);
        Assert.Equal(ledger, failed.Actor);
        Assert.Contains("'tail-bad'", failed.Cause.Message);
        Assert.Contains("sequence number 3", failed.Cause.Message);
        Assert.Contains(LedgerSerializer.TailSnapshotManifest, failed.Cause.Message);
        var inner = Assert.IsType<InvalidOperationException>(failed.Cause.InnerException);
        Assert.Equal("header unreadable", inner.Message);

        // The queued command never ran: its reply would reach the requester before Terminated.
        await requester.ExpectTerminatedAsync(ledger);
        await log.ExpectMsgAsync("tail-snapshot-start:3");
        log.Send(log.Ref, "end");
        await log.ExpectMsgAsync("end");
    }

    [Fact]
    public async Task OnRecoveryCompleted_Persist_IsWrittenAndHandledBeforeTheFirstQueuedCommand()
    {
        await SeedAsync("startup", "old");
        var journal = new ControlledJournal(_stores.Journal) { ReadGate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var log = CreateTestProbe();
        var ledger = Spawn(Setup("startup", log, journal) with { NoteOnRecovery = "started" });
        log.Send(ledger, new Note("x"));

        // Recovery is held inside its replay, so the command is queued behind it.
        await AwaitConditionAsync(() => journal.Reading == 1);
        journal.ReadGate.SetResult();

        await log.ExpectMsgAsync("replayed:old");
        await log.ExpectMsgAsync("recovered");
        await log.ExpectMsgAsync("event:started");
        await log.ExpectMsgAsync("startup-deferred:old,started");
        await log.ExpectMsgAsync("command-saw:old,started");
        await log.ExpectMsgAsync("event:x");
        await log.ExpectMsgAsync("deferred:x");
        var done = await log.ExpectMsgAsync<NoteDone>();
        Assert.Equal(["old", "started", "x"], done.Lines);
        Assert.Equal(3, done.LastSequenceNr);
        Assert.Equal(["old", "started", "x"], await StoredTextsAsync("startup"));
    }

    [Fact]
    public async Task OnRecoveryCompleted_PersistFailure_StopsTheActorBeforeTheFirstQueuedCommand()
    {
        var journal = new ControlledJournal(_stores.Journal)
        {
            ReadGate = new(TaskCreationOptions.RunContinuationsAsynchronously),
            AppendFailure = new IOException("disk gone"),
        };
        var log = CreateTestProbe();
        var ledger = Spawn(Setup("startup-failed", log, journal) with { NoteOnRecovery = "started" });
        await log.WatchAsync(ledger);
        log.Send(ledger, new Note("x"));
        await AwaitConditionAsync(() => journal.Reading == 1);
        journal.ReadGate.SetResult();

        await log.ExpectMsgAsync("recovered");
        await log.ExpectMsgAsync("persist-failed:1");
        await log.ExpectTerminatedAsync(ledger);
        Assert.Equal(1, Volatile.Read(ref journal.AppendsStarted));
    }
}
