namespace Orchestra.Actors.Persistence;

/// <summary>In-memory journal, snapshot store and lease store, the journal fenced by the lease store.</summary>
public sealed class InMemoryPersistence : IPersistence
{
    private readonly InMemoryJournal _journal;
    private readonly InMemorySnapshotStore _snapshots;

    /// <summary>Creates empty stores.</summary>
    /// <param name="timeProvider">The clock for timestamps and lease expiry, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public InMemoryPersistence(TimeProvider? timeProvider = null)
    {
        var leases = new InMemoryLeaseStore(timeProvider);
        Leases = leases;
        _journal = new InMemoryJournal(leases, timeProvider);
        _snapshots = new InMemorySnapshotStore(timeProvider);
    }

    /// <inheritdoc />
    public IJournal Journal => _journal;

    /// <inheritdoc />
    public ISnapshotStore Snapshots => _snapshots;

    /// <inheritdoc />
    public ILeaseStore Leases { get; }

    /// <inheritdoc />
    public ValueTask<long> EraseAsync(IReadOnlyCollection<string> persistenceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceIds);
        cancellationToken.ThrowIfCancellationRequested();
        var removed = _journal.Erase(persistenceIds);
        _snapshots.Erase(persistenceIds);
        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
