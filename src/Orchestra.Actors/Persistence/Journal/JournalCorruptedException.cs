namespace Orchestra.Actors.Persistence;

/// <summary>
/// A stored event's checksum does not match its content: a byte of its persistence id, sequence number, manifest or
/// payload changed after it was written. The event is not returned, so a changed value is never taken as fact.
/// </summary>
/// <remarks>Only the events of <see cref="PersistenceId"/> are affected; the store and other persistence ids stay usable.</remarks>
public sealed class JournalCorruptedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="persistenceId">The persistence id read from the row.</param>
    /// <param name="sequenceNr">The sequence number read from the row.</param>
    /// <param name="manifest">The manifest read from the row.</param>
    /// <param name="what">What is corrupt ("event" or "snapshot").</param>
    public JournalCorruptedException(string persistenceId, long sequenceNr, string manifest, string what = "event")
        : base($"{what} {sequenceNr} of '{persistenceId}' ({manifest}) is corrupt: its checksum does not match its content")
    {
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
        Manifest = manifest;
    }

    /// <summary>The persistence id of the corrupt row.</summary>
    public string PersistenceId { get; }

    /// <summary>The sequence number of the corrupt row.</summary>
    public long SequenceNr { get; }

    /// <summary>The manifest of the corrupt row.</summary>
    public string Manifest { get; }
}
