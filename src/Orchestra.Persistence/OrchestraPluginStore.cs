using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence;

/// <summary>
/// What a backend opens for the Akka plugins: its <see cref="IPersistence"/> (journal, snapshots, leases on one
/// database) and the snapshot deletes that the store contract does not have yet.
/// </summary>
/// <remarks>
/// One instance per database is shared by the journal and the snapshot plugin of an actor system (see
/// <see cref="OrchestraPersistence"/>) and disposed when the actor system has terminated. Thread-safe.
/// </remarks>
public abstract class OrchestraPluginStore : IAsyncDisposable
{
    /// <summary>Wraps an open backend.</summary>
    /// <param name="persistence">The backend's stores, disposed with this instance.</param>
    protected OrchestraPluginStore(IPersistence persistence)
    {
        ArgumentNullException.ThrowIfNull(persistence);
        Persistence = persistence;
    }

    /// <summary>The backend's journal, snapshots and leases (the application acquires the leases whose epochs fence the writes here).</summary>
    public IPersistence Persistence { get; }

    /// <summary>
    /// Deletes the snapshots of <paramref name="persistenceId"/> whose sequence number lies in
    /// [<paramref name="minSequenceNr"/>, <paramref name="maxSequenceNr"/>] and whose stored timestamp lies in
    /// [<paramref name="minTimestamp"/>, <paramref name="maxTimestamp"/>] (a <see langword="null"/> bound is open).
    /// </summary>
    /// <param name="persistenceId">The persistence id.</param>
    /// <param name="minSequenceNr">The lowest sequence number deleted.</param>
    /// <param name="maxSequenceNr">The highest sequence number deleted.</param>
    /// <param name="minTimestamp">The earliest timestamp deleted, or <see langword="null"/>.</param>
    /// <param name="maxTimestamp">The latest timestamp deleted, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <remarks>
    /// Akka deletes single snapshots and ranges; <see cref="ISnapshotStore"/> only deletes older ones. This lives here
    /// until the store contract moves out of Orchestra.Actors and can grow a range delete.
    /// </remarks>
    public abstract ValueTask DeleteSnapshotsAsync(
        string persistenceId,
        long minSequenceNr,
        long maxSequenceNr,
        DateTimeOffset? minTimestamp,
        DateTimeOffset? maxTimestamp,
        CancellationToken cancellationToken);

    /// <summary>Commits the queued journal writes, then closes the backend.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the backend: by default disposes <see cref="Persistence"/>.</summary>
    protected virtual ValueTask DisposeCoreAsync() => Persistence.DisposeAsync();
}
