namespace Orchestra.Actors.Persistence;

/// <summary>
/// The event journal: the durable, append-only log of every persistent actor's events.
/// </summary>
/// <remarks>
/// <para>
/// <b>Writes.</b> <see cref="AppendAsync"/> stores one <see cref="AtomicWrite"/> (a batch of events of
/// ONE persistence id) atomically: all of its events or none. Sequence numbers come from the actor;
/// the store only enforces that (persistence id, sequence number) is unique. Stores backed by a
/// database join the appends of many actors into one transaction (group commit), but each append's
/// outcome is reported on its own: one rejected append never fails the others in the same batch.
/// </para>
/// <para>
/// <b>Outcomes.</b> An append ends in exactly one of three ways:
/// <list type="bullet">
/// <item><description>success: <see cref="AppendResult.IsSuccess"/>; the events are durable;</description></item>
/// <item><description>rejection: an <see cref="AppendResult"/> whose <see cref="AppendResult.Rejection"/> is a
/// <see cref="JournalConcurrencyException"/> (a sequence number already exists) or a
/// <see cref="JournalFencedException"/> (the fencing token's lease epoch is no longer current). The events
/// were certainly NOT stored; the writer may continue (an actor does not have to stop);</description></item>
/// <item><description>failure: the returned task throws (I/O error, lost connection, disposal, cancellation
/// after the write was handed to the store). The outcome is unknown: the events may or may not be stored,
/// so a persistent actor must stop and recover from the journal.</description></item>
/// </list>
/// </para>
/// <para>
/// <b>Fencing.</b> When <see cref="AtomicWrite.Fence"/> is set, the store checks, inside the same
/// transaction that inserts the events, that the lease row of <see cref="FencingToken.EntityId"/> still
/// names <see cref="FencingToken.Writer"/> as owner with epoch <see cref="FencingToken.Epoch"/>. A missing
/// lease row, another owner or another epoch rejects the append with <see cref="JournalFencedException"/>,
/// even when the new owner has not written anything yet. Lease expiry is not part of the check: a takeover
/// always bumps the epoch, and that is what fences a paused ("zombie") writer.
/// </para>
/// <para>
/// <b>Reads</b> see every append whose task has completed successfully. Implementations are thread-safe.
/// </para>
/// </remarks>
public interface IJournal
{
    /// <summary>Appends the events of one persistence id atomically.</summary>
    /// <param name="write">The events to store, in increasing sequence-number order, and the optional fence.</param>
    /// <param name="cancellationToken">
    /// Cancels the append while it waits for the store (queued for the group commit): the task is then cancelled
    /// and nothing was stored. Once the store has started writing it, the append completes with its real outcome.
    /// </param>
    /// <returns>Success, or a rejection (certainly not stored).</returns>
    /// <exception cref="ArgumentException">The write is empty, mixes persistence ids or its sequence numbers are not strictly increasing and positive.</exception>
    /// <exception cref="ObjectDisposedException">The journal is disposed.</exception>
    /// <exception cref="Exception">Any other exception: the outcome is unknown.</exception>
    ValueTask<AppendResult> AppendAsync(AtomicWrite write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the events of <paramref name="persistenceId"/> with
    /// <paramref name="fromSequenceNr"/> &lt;= sequence number &lt;= <paramref name="toSequenceNr"/>,
    /// in increasing sequence-number order, at most <paramref name="max"/> of them.
    /// </summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="fromSequenceNr">The first sequence number to return (inclusive).</param>
    /// <param name="toSequenceNr">The last sequence number to return (inclusive).</param>
    /// <param name="max">The maximum number of events to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <remarks>Gaps (sequence numbers never written or deleted) are skipped silently.</remarks>
    IAsyncEnumerable<JournalEvent> ReadEventsAsync(
        string persistenceId,
        long fromSequenceNr = 1,
        long toSequenceNr = long.MaxValue,
        long max = long.MaxValue,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the highest sequence number ever stored for <paramref name="persistenceId"/>, or 0 if none.
    /// </summary>
    /// <remarks>Deleting events (<see cref="DeleteEventsToAsync"/>) does not lower it.</remarks>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the events of <paramref name="persistenceId"/> up to and including <paramref name="toSequenceNr"/>
    /// (typically after a snapshot). The highest sequence number is remembered.
    /// </summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="toSequenceNr">The last sequence number to delete (inclusive).</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    ValueTask DeleteEventsToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);

    /// <summary>
    /// Query side: reads the events of all persistence ids whose global <see cref="JournalEvent.Ordering"/> is
    /// greater than <paramref name="afterOrdering"/>, in increasing ordering, at most <paramref name="max"/>.
    /// A live view polls with the last ordering it saw.
    /// </summary>
    /// <param name="afterOrdering">The last ordering already seen (0 to start from the beginning).</param>
    /// <param name="max">The maximum number of events to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <remarks>
    /// Orderings are increasing but not necessarily contiguous (deleted events, rolled back batches).
    /// Every store makes an event visible here only after all events with a lower ordering are visible,
    /// so a poller that resumes after the last ordering it saw misses nothing.
    /// </remarks>
    IAsyncEnumerable<JournalEvent> ReadAllEventsAsync(
        long afterOrdering,
        int max = int.MaxValue,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Query side: the distinct persistence ids that have events (or had events deleted), in ordinal order,
    /// optionally only those starting with <paramref name="prefix"/> (ordinal, case-sensitive).
    /// </summary>
    /// <param name="prefix">The prefix to filter by, or <see langword="null"/> for every id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<string> ReadPersistenceIdsAsync(string? prefix = null, CancellationToken cancellationToken = default);
}
