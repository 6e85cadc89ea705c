namespace Orchestra.Actors.Persistence;

/// <summary>In-memory journal, snapshot store and lease store, the journal fenced by the lease store.</summary>
public sealed class InMemoryPersistence : IPersistence
{
    /// <summary>Creates empty stores.</summary>
    /// <param name="timeProvider">The clock for timestamps and lease expiry, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public InMemoryPersistence(TimeProvider? timeProvider = null)
    {
        var leases = new InMemoryLeaseStore(timeProvider);
        Leases = leases;
        Journal = new InMemoryJournal(leases, timeProvider);
        Snapshots = new InMemorySnapshotStore(timeProvider);
    }

    /// <inheritdoc />
    public IJournal Journal { get; }

    /// <inheritdoc />
    public ISnapshotStore Snapshots { get; }

    /// <inheritdoc />
    public ILeaseStore Leases { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
