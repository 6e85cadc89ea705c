namespace Orchestra.Actors.Persistence;

/// <summary>One event to append: the part of a <see cref="JournalEvent"/> the writer decides.</summary>
/// <param name="SequenceNr">The sequence number chosen by the actor (highest stored + 1, + 2, ...).</param>
/// <param name="Manifest">The stable event type name.</param>
/// <param name="Payload">The serialized event.</param>
public readonly record struct EventToAppend(long SequenceNr, string Manifest, ReadOnlyMemory<byte> Payload);
