namespace Orchestra.Actors.Persistence;

/// <summary>
/// Why an append was rejected. A rejected append was certainly not stored; see <see cref="AppendResult.Rejection"/>.
/// </summary>
public abstract class JournalRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="persistenceId">The persistence id of the rejected write.</param>
    /// <param name="message">What happened.</param>
    protected JournalRejectedException(string persistenceId, string message)
        : base(message)
    {
        PersistenceId = persistenceId;
    }

    /// <summary>The persistence id of the rejected write.</summary>
    public string PersistenceId { get; }
}

/// <summary>
/// An append was rejected because an event with one of its sequence numbers already exists: another writer
/// (or an earlier incarnation of the same actor) got there first.
/// </summary>
public sealed class JournalConcurrencyException : JournalRejectedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="lowestSequenceNr">The first sequence number of the rejected write.</param>
    /// <param name="highestSequenceNr">The last sequence number of the rejected write.</param>
    public JournalConcurrencyException(string persistenceId, long lowestSequenceNr, long highestSequenceNr)
        : base(
            persistenceId,
            $"Events {lowestSequenceNr}..{highestSequenceNr} of '{persistenceId}' were rejected: a sequence number in that range is already stored.")
    {
        LowestSequenceNr = lowestSequenceNr;
        HighestSequenceNr = highestSequenceNr;
    }

    /// <summary>The first sequence number of the rejected write.</summary>
    public long LowestSequenceNr { get; }

    /// <summary>The last sequence number of the rejected write.</summary>
    public long HighestSequenceNr { get; }
}

/// <summary>
/// An append was rejected because its fencing token is stale: the lease moved to another owner or epoch
/// (or does not exist). The writer must stop writing for that entity.
/// </summary>
public sealed class JournalFencedException : JournalRejectedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="fence">The stale token of the write.</param>
    /// <param name="currentOwner">The lease owner found, or <see langword="null"/> if there is no lease row.</param>
    /// <param name="currentEpoch">The lease epoch found, or <see langword="null"/> if there is no lease row.</param>
    public JournalFencedException(string persistenceId, FencingToken fence, string? currentOwner, long? currentEpoch)
        : base(
            persistenceId,
            currentOwner is null
                ? $"Write to '{persistenceId}' by '{fence?.Writer}' at epoch {fence?.Epoch} was fenced: there is no lease for '{fence?.EntityId}'."
                : $"Write to '{persistenceId}' by '{fence?.Writer}' at epoch {fence?.Epoch} was fenced: the lease of '{fence?.EntityId}' is held by '{currentOwner}' at epoch {currentEpoch}.")
    {
        ArgumentNullException.ThrowIfNull(fence);
        Fence = fence;
        CurrentOwner = currentOwner;
        CurrentEpoch = currentEpoch;
    }

    /// <summary>The stale token of the rejected write.</summary>
    public FencingToken Fence { get; }

    /// <summary>The lease owner found at write time, or <see langword="null"/> if there was no lease.</summary>
    public string? CurrentOwner { get; }

    /// <summary>The lease epoch found at write time, or <see langword="null"/> if there was no lease.</summary>
    public long? CurrentEpoch { get; }
}
