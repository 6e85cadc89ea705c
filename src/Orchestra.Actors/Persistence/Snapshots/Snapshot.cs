namespace Orchestra.Actors.Persistence;

/// <summary>A stored snapshot.</summary>
/// <param name="PersistenceId">The persistence id.</param>
/// <param name="SequenceNr">The sequence number of the last event included in the state.</param>
/// <param name="Manifest">The stable type name of the state.</param>
/// <param name="Payload">The serialized state.</param>
/// <param name="Timestamp">When it was saved (from the store's <see cref="TimeProvider"/>).</param>
public sealed record Snapshot(string PersistenceId, long SequenceNr, string Manifest, ReadOnlyMemory<byte> Payload, DateTimeOffset Timestamp);
