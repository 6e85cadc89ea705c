using Orchestra.Actors.Persistence;

namespace Orchestra.Actors.Tests.Persistence;

internal sealed record Noted(string Text);

/// <summary>A snapshot restored synchronously: the whole state.</summary>
internal sealed record LedgerSnapshot(string[] Lines);

/// <summary>A snapshot restored asynchronously: every line but the first, which the handler reads back from event 1.</summary>
internal sealed record LedgerTailSnapshot(string[] LinesAfterHeader);

/// <summary>Persists one event per text, each followed by a <c>Defer</c>; the reply is deferred too.</summary>
internal sealed record Note(params string[] Texts);

/// <summary>The reply to <see cref="Note"/>: the state the deferred reply saw.</summary>
internal sealed record NoteDone(string[] Lines, long LastSequenceNr);

/// <summary>Defers with nothing pending.</summary>
internal sealed record DeferNow;

/// <summary>Persists <paramref name="First"/> and <paramref name="Second"/>; the first event's handler defers, persists <paramref name="Third"/> and defers again.</summary>
internal sealed record DeferInHandler(string First, string Second, string Third);

internal sealed record GetLines;

internal sealed record LedgerView(string[] Lines, long LastSequenceNr);

internal sealed record Ping;

/// <summary>How a <see cref="Ledger"/> is built for one test.</summary>
internal sealed record LedgerSetup(string PersistenceId, IJournal Journal, ISnapshotStore Snapshots, IActorRef Log)
{
    public FencingToken? Fence { get; init; }

    /// <summary>Gets a value indicating whether a rejected write leaves the actor running (the default stops it).</summary>
    public bool ContinueOnRejection { get; init; }

    /// <summary>Gets the text of an event persisted by <c>OnRecoveryCompleted</c>, if any.</summary>
    public string? NoteOnRecovery { get; init; }

    /// <summary>Gets a value indicating whether the async snapshot handler throws after reading the journal.</summary>
    public bool FailTailSnapshot { get; init; }
}

/// <summary>A persistent list of lines that reports every handler it runs, in order, to <see cref="LedgerSetup.Log"/>.</summary>
internal sealed class Ledger : PersistentActor
{
    private readonly LedgerSetup _setup;
    private List<string> _lines = [];

    public Ledger(LedgerSetup setup)
        : base(setup.Journal, setup.Snapshots, LedgerSerializer.Instance)
    {
        _setup = setup;
        Fence = setup.Fence;
        Recover<Noted>(e =>
        {
            _lines.Add(e.Text);
            Log("replayed:" + e.Text);
        });
        RecoverSnapshot<LedgerSnapshot>(s =>
        {
            Log("snapshot:" + LastSequenceNr);
            _lines = [.. s.Lines];
        });
        RecoverSnapshotAsync<LedgerTailSnapshot>(RestoreTailAsync);
        Receive<Note>(OnNote);
        Receive<DeferNow>(_ =>
        {
            Log("before-defer");
            Defer(() => Log("deferred-now"));
            Log("after-defer");
            Sender.Tell("ok");
        });
        Receive<DeferInHandler>(OnDeferInHandler);
        Receive<GetLines>(_ => Sender.Tell(new LedgerView([.. _lines], LastSequenceNr)));
        Receive<Ping>(_ => Log("pong"));
    }

    public override string PersistenceId => _setup.PersistenceId;

    protected override void OnRecoveryCompleted()
    {
        Log("recovered");
        if (_setup.NoteOnRecovery is { } text)
        {
            Persist(new Noted(text), Apply);
            Defer(() => Log("startup-deferred:" + string.Join(",", _lines)));
        }
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Log("rejected:" + cause.GetType().Name + ":" + sequenceNr);
        if (!_setup.ContinueOnRejection)
        {
            base.OnPersistRejected(cause, @event, sequenceNr);
        }
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) => Log("persist-failed:" + sequenceNr);

    private async Task RestoreTailAsync(LedgerTailSnapshot snapshot)
    {
        Log("tail-snapshot-start:" + LastSequenceNr);
        await Task.Yield();
        string? header = null;
        await foreach (var stored in Journal.ReadEventsAsync(PersistenceId, 1, 1))
        {
            header = ((Noted)Serializer.Deserialize(stored)).Text;
        }

        if (_setup.FailTailSnapshot)
        {
            throw new InvalidOperationException("header unreadable");
        }

        // Assigned last: an event replayed before this handler completed would be lost here.
        _lines = [header ?? "?", .. snapshot.LinesAfterHeader];
        Log("tail-snapshot-done:" + LastSequenceNr + ":" + header);
    }

    private void OnNote(Note command)
    {
        Log("command-saw:" + string.Join(",", _lines));
        foreach (var text in command.Texts)
        {
            Persist(new Noted(text), Apply);
            Defer(() => Log("deferred:" + text));
        }

        Defer(() => Sender.Tell(new NoteDone([.. _lines], LastSequenceNr)));
    }

    private void OnDeferInHandler(DeferInHandler command)
    {
        Persist(new Noted(command.First), e =>
        {
            Apply(e);
            Defer(() => Log("deferred-in-handler:" + string.Join(",", _lines)));
            Persist(new Noted(command.Third), Apply);
            Defer(() => Log("deferred-after-nested:" + string.Join(",", _lines)));
        });
        Persist(new Noted(command.Second), Apply);
    }

    private void Apply(Noted e)
    {
        _lines.Add(e.Text);
        Log("event:" + e.Text);
    }

    private void Log(string entry) => _setup.Log.Tell(entry);
}

internal static class LedgerSerializer
{
    public const string TailSnapshotManifest = "ledger.tail-snapshot.v1";

    public static EventSerializer Instance { get; } = new(new EventTypeRegistry()
        .Register<Noted>("ledger.noted.v1")
        .Register<LedgerSnapshot>("ledger.snapshot.v1")
        .Register<LedgerTailSnapshot>(TailSnapshotManifest));
}
