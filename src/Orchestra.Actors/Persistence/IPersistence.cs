namespace Orchestra.Actors.Persistence;

/// <summary>The three stores of one backend (in-memory, SQLite, PostgreSQL), sharing one database.</summary>
/// <remarks>Disposing it flushes pending journal writes and closes the database.</remarks>
public interface IPersistence : IAsyncDisposable
{
    /// <summary>The event journal.</summary>
    IJournal Journal { get; }

    /// <summary>The snapshot store.</summary>
    ISnapshotStore Snapshots { get; }

    /// <summary>The lease store whose epochs fence <see cref="Journal"/>'s writes.</summary>
    ILeaseStore Leases { get; }

    /// <summary>
    /// Forgets entities for good: removes every journal row of <paramref name="persistenceIds"/> (with the record of deleted
    /// events, so their highest sequence number is 0 again and they are no longer listed), their snapshots and their lease rows,
    /// in one transaction: all of it or nothing.
    /// </summary>
    /// <remarks>
    /// For entities that nothing runs any more and that will never be written again under those ids' old epochs (<c>orchestra
    /// delete</c> of an undeployed deployment); the one exception to the rule that lease rows are never deleted. The caller checks
    /// that no owner holds a live lease on them. Ids without any row are ignored.
    /// </remarks>
    /// <param name="persistenceIds">The persistence ids (also the lease entity ids) to forget.</param>
    /// <param name="cancellationToken">Cancels the erase before it starts; once started it commits or rolls back as a whole.</param>
    /// <returns>How many journal rows were removed.</returns>
    ValueTask<long> EraseAsync(IReadOnlyCollection<string> persistenceIds, CancellationToken cancellationToken = default);
}
