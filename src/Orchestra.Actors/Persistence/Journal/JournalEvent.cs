namespace Orchestra.Actors.Persistence;

/// <summary>One stored event, as read back from an <see cref="IJournal"/>.</summary>
/// <param name="PersistenceId">The persistence id of the actor that wrote it.</param>
/// <param name="SequenceNr">Its sequence number within <paramref name="PersistenceId"/> (from 1).</param>
/// <param name="Manifest">The stable event type name (see <see cref="EventTypeRegistry"/>), never a CLR name.</param>
/// <param name="Payload">The serialized event (UTF-8 JSON for events written through <see cref="EventSerializer"/>).</param>
/// <param name="Writer">The writer (lease owner) named by the append's fence, or <see langword="null"/> for an unfenced append.</param>
/// <param name="Epoch">The lease epoch named by the append's fence, or 0 for an unfenced append.</param>
/// <param name="Ordering">The global, store-wide order of the event (increasing, not necessarily contiguous).</param>
/// <param name="Timestamp">When the store wrote it (from the store's <see cref="TimeProvider"/>).</param>
public sealed record JournalEvent(
    string PersistenceId,
    long SequenceNr,
    string Manifest,
    ReadOnlyMemory<byte> Payload,
    string? Writer,
    long Epoch,
    long Ordering,
    DateTimeOffset Timestamp);
