namespace Orchestra.Actors.Persistence;

/// <summary>
/// A stored event or snapshot could not be read back: its manifest is unknown or its payload is corrupt or
/// incompatible. Recovery cannot continue past it.
/// </summary>
public sealed class EventDeserializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="manifest">The stored manifest.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The JSON error, if any.</param>
    /// <param name="persistenceId">The persistence id of the event, when known.</param>
    /// <param name="sequenceNr">The sequence number of the event, when known.</param>
    public EventDeserializationException(string manifest, string message, Exception? innerException = null, string? persistenceId = null, long? sequenceNr = null)
        : base(persistenceId is null ? message : $"Event {sequenceNr} of '{persistenceId}': {message}", innerException)
    {
        Manifest = manifest;
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
        BareMessage = message;
    }

    /// <summary>The stored manifest.</summary>
    public string Manifest { get; }

    /// <summary>The persistence id of the event, when known.</summary>
    public string? PersistenceId { get; }

    /// <summary>The sequence number of the event, when known.</summary>
    public long? SequenceNr { get; }

    private string BareMessage { get; }

    /// <summary>Returns a copy that names the event's persistence id and sequence number (recovery adds them).</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="sequenceNr">The sequence number.</param>
    public EventDeserializationException WithSource(string persistenceId, long sequenceNr) =>
        new(Manifest, BareMessage, InnerException, persistenceId, sequenceNr);
}

/// <summary>An event or snapshot could not be serialized (typically: its type has no registered manifest).</summary>
public sealed class EventSerializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="type">The CLR type.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The JSON error, if any.</param>
    public EventSerializationException(Type type, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        EventType = type;
    }

    /// <summary>The CLR type that could not be serialized.</summary>
    public Type EventType { get; }
}
