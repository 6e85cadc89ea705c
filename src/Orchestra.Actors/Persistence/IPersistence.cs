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
}
