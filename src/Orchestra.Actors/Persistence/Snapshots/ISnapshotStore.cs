namespace Orchestra.Actors.Persistence;

/// <summary>Stores actor state snapshots so recovery replays only the events after the latest one.</summary>
/// <remarks>
/// A snapshot is identified by (persistence id, sequence number): saving again at the same sequence number
/// replaces it. Snapshots are an optimisation: losing one only makes recovery replay more events.
/// Implementations are thread-safe.
/// </remarks>
public interface ISnapshotStore
{
    /// <summary>Saves (or replaces) the snapshot of <paramref name="persistenceId"/> taken at <paramref name="sequenceNr"/>.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="sequenceNr">The sequence number of the last event included in the state.</param>
    /// <param name="manifest">The stable type name of the state.</param>
    /// <param name="payload">The serialized state.</param>
    /// <param name="cancellationToken">Cancels the save (the outcome is then unknown).</param>
    ValueTask SaveAsync(string persistenceId, long sequenceNr, string manifest, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads the latest snapshot of <paramref name="persistenceId"/> whose sequence number is at most
    /// <paramref name="maxSequenceNr"/>, or <see langword="null"/> if there is none.
    /// </summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="maxSequenceNr">The highest acceptable sequence number.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    ValueTask<Snapshot?> LoadLatestAsync(string persistenceId, long maxSequenceNr = long.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>Deletes the snapshots of <paramref name="persistenceId"/> whose sequence number is lower than <paramref name="sequenceNr"/>.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="sequenceNr">Snapshots strictly below this sequence number are deleted.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    ValueTask DeleteOlderThanAsync(string persistenceId, long sequenceNr, CancellationToken cancellationToken = default);
}
