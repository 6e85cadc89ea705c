using Orchestra.Actors.Persistence;

namespace Orchestra.Actors.TestKit.Persistence;

/// <summary>The event the persistence conformance suites and crash tests write: it names its own position, so a torn or misplaced row is detected.</summary>
/// <param name="PersistenceId">The persistence id it was written for.</param>
/// <param name="SequenceNr">The sequence number it was written at.</param>
/// <param name="Data">Free data (a writer name, padding for large payloads).</param>
public sealed record TestEvent(string PersistenceId, long SequenceNr, string Data)
{
    /// <summary>The manifest <see cref="TestEvent"/> is registered under in <see cref="Serializer"/>.</summary>
    public const string Manifest = "test-event.v1";

    /// <summary>A serializer that knows <see cref="TestEvent"/>.</summary>
    public static EventSerializer Serializer { get; } = new(new EventTypeRegistry().Register<TestEvent>(Manifest));

    /// <summary>Serializes a test event for <paramref name="persistenceId"/> at <paramref name="sequenceNr"/>.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="sequenceNr">The sequence number.</param>
    /// <param name="data">Free data.</param>
    public static EventToAppend Create(string persistenceId, long sequenceNr, string data = "") =>
        Serializer.ToAppend(sequenceNr, new TestEvent(persistenceId, sequenceNr, data));
}
