using Akka.Actor;
using Akka.Persistence;
using EventSerializer = Orchestra.Actors.Persistence.EventSerializer;
using EventTypeRegistry = Orchestra.Actors.Persistence.EventTypeRegistry;
using FencingToken = Orchestra.Actors.Persistence.FencingToken;

namespace Orchestra.Persistence.Tests.Conformance;

/// <summary>The event the suite persists: it names its own position, so a misplaced event is detected.</summary>
public sealed record TestEvent(string PersistenceId, long SequenceNr, string Data = "");

/// <summary>A snapshot state.</summary>
public sealed record TestState(string Value, byte[]? Padding = null);

/// <summary>A type with no manifest: the Orchestra plugins must reject it.</summary>
public sealed record UnregisteredEvent(string Value);

public static class PluginTestTypes
{
    public static EventSerializer Serializer { get; } = new(new EventTypeRegistry()
        .Register<TestEvent>("plugin-test-event.v1")
        .Register<TestState>("plugin-test-state.v1"));
}

/// <summary>
/// A persistent actor for the suite: persists what it is told (fenced or not), replies with the outcome, and keeps
/// the events it applied (replayed or persisted) as its state. Akka's default on a persist failure stops it.
/// </summary>
public sealed class RecordingActor : ReceivePersistentActor
{
    private readonly List<object> _applied = [];

    public RecordingActor(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<SnapshotOffer>(offer => _applied.AddRange(((TestState)offer.Snapshot).Value.Split(',', StringSplitOptions.RemoveEmptyEntries)));
        Recover<TestEvent>(e => _applied.Add(e.Data));
        Command<PersistCommand>(command =>
        {
            var sender = Sender;
            var events = command.Data.Select((data, i) => Wrap(command.Fence, new TestEvent(PersistenceId, LastSequenceNr + 1 + i, data))).ToList();
            PersistAll(events, persisted =>
            {
                _applied.Add(((TestEvent)(persisted is Fenced f ? f.Event : persisted)).Data);
                sender.Tell(new Persisted(LastSequenceNr));
            });
            _pendingReplyTo = sender;
        });
        Command<SnapshotCommand>(_ =>
        {
            _pendingReplyTo = Sender;
            SaveSnapshot(new TestState(string.Join(',', _applied)));
        });
        Command<SaveSnapshotSuccess>(success => _pendingReplyTo?.Tell(success));
        Command<GetApplied>(_ => Sender.Tell(new Applied(_applied.ToList(), LastSequenceNr)));
    }

    private IActorRef? _pendingReplyTo;

    public override string PersistenceId { get; }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        _pendingReplyTo?.Tell(new Rejected(cause, sequenceNr));
    }

    private static object Wrap(FencingToken? fence, TestEvent e) => fence is null ? e : new Fenced(fence, e);

    public sealed record PersistCommand(IReadOnlyList<string> Data, FencingToken? Fence = null);

    public sealed record SnapshotCommand;

    public sealed record GetApplied;

    public sealed record Persisted(long SequenceNr);

    public sealed record Rejected(Exception Cause, long SequenceNr);

    public sealed record Applied(IReadOnlyList<object> Data, long LastSequenceNr);
}
