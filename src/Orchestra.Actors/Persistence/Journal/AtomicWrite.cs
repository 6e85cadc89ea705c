namespace Orchestra.Actors.Persistence;

/// <summary>A batch of events of ONE persistence id, stored all-or-nothing by <see cref="IJournal.AppendAsync"/>.</summary>
/// <param name="PersistenceId">The persistence id of every event in the batch.</param>
/// <param name="Events">The events, with strictly increasing, positive sequence numbers. Not empty.</param>
/// <param name="Fence">
/// The writer's lease (owner and epoch) checked inside the write transaction, or <see langword="null"/> for an
/// unfenced writer (single-process deployments, tests).
/// </param>
public sealed record AtomicWrite(string PersistenceId, IReadOnlyList<EventToAppend> Events, FencingToken? Fence = null)
{
    /// <summary>The sequence number of the first event.</summary>
    public long LowestSequenceNr => Events[0].SequenceNr;

    /// <summary>The sequence number of the last event.</summary>
    public long HighestSequenceNr => Events[^1].SequenceNr;

    /// <summary>Checks the shape of the write (not its sequence numbers against the store).</summary>
    /// <exception cref="ArgumentException">The write is empty, its persistence id is empty, or its sequence numbers are not strictly increasing and positive.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(PersistenceId))
        {
            throw new ArgumentException("An atomic write needs a persistence id.", nameof(PersistenceId));
        }

        if (Events is null || Events.Count == 0)
        {
            throw new ArgumentException($"The atomic write for '{PersistenceId}' has no events.", nameof(Events));
        }

        var previous = 0L;
        foreach (var e in Events)
        {
            if (e.SequenceNr <= previous)
            {
                throw new ArgumentException(
                    $"The atomic write for '{PersistenceId}' has sequence number {e.SequenceNr} after {previous}: they must be positive and strictly increasing.",
                    nameof(Events));
            }

            if (string.IsNullOrEmpty(e.Manifest))
            {
                throw new ArgumentException($"Event {e.SequenceNr} of '{PersistenceId}' has no manifest.", nameof(Events));
            }

            previous = e.SequenceNr;
        }
    }
}
