using Akka.Persistence;
using Akka.Persistence.Snapshot;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Serialization;

namespace Orchestra.Persistence.Snapshots;

/// <summary>Akka.Persistence snapshot-store plugin on an Orchestra <see cref="ISnapshotStore"/> (SQLite or PostgreSQL).</summary>
/// <remarks>
/// <para>
/// States are serialized like events (<see cref="PayloadSerializer"/>: stable manifests). A snapshot's timestamp is
/// the store's clock at save time, not the one in the <see cref="SnapshotMetadata"/> Akka passes in: selection and
/// deletion criteria compare with the stored timestamp (what a load returns), at the store's precision (microseconds).
/// A delete by metadata whose timestamp is <see cref="DateTime.MinValue"/> (what <c>DeleteSnapshot(seqNr)</c> sends)
/// ignores the timestamp; otherwise only a snapshot stored at or before it is deleted.
/// </para>
/// <para>A failed save or delete is reported to the actor (Akka's <c>SaveSnapshotFailure</c>); a state that cannot be read back fails the load, and so the recovery.</para>
/// </remarks>
public abstract class OrchestraSnapshotStore : SnapshotStore
{
    private readonly PayloadSerializer _serializer;
    private Task<OrchestraPluginStore>? _store;

    /// <summary>Creates the plugin actor.</summary>
    protected OrchestraSnapshotStore()
    {
        _serializer = OrchestraPersistence.Get(Context.System).Serializer;
    }

    /// <summary>Opens (or joins) the store this plugin uses, through <see cref="OrchestraPersistence.GetOrOpen"/>.</summary>
    /// <returns>The store, opening or open.</returns>
    protected abstract Task<OrchestraPluginStore> OpenStore();

    private Task<OrchestraPluginStore> Store => _store ??= OpenStore();

    /// <inheritdoc />
    protected override void PreStart()
    {
        base.PreStart();
        _ = Store;
    }

    /// <inheritdoc />
    protected sealed override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var store = await Store.ConfigureAwait(false);
        var maxSequenceNr = criteria.MaxSequenceNr;
        while (maxSequenceNr >= criteria.MinSequenceNr)
        {
            var snapshot = await store.Persistence.Snapshots.LoadLatestAsync(persistenceId, maxSequenceNr, cancellationToken).ConfigureAwait(false);
            if (snapshot is null || snapshot.SequenceNr < criteria.MinSequenceNr)
            {
                return null;
            }

            var timestamp = snapshot.Timestamp.UtcDateTime;
            if (timestamp <= criteria.MaxTimeStamp && (criteria.MinTimestamp is not { } min || timestamp >= min))
            {
                var state = _serializer.Deserialize(snapshot.Manifest, snapshot.Payload, persistenceId, snapshot.SequenceNr);
                return new SelectedSnapshot(new SnapshotMetadata(persistenceId, snapshot.SequenceNr, timestamp), state);
            }

            // Outside the time bounds: the next older one may fit.
            maxSequenceNr = snapshot.SequenceNr - 1;
        }

        return null;
    }

    /// <inheritdoc />
    protected sealed override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var serialized = _serializer.Serialize(snapshot);
        var store = await Store.ConfigureAwait(false);
        await store.Persistence.Snapshots.SaveAsync(metadata.PersistenceId, metadata.SequenceNr, serialized.Manifest, serialized.Payload, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected sealed override async Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var store = await Store.ConfigureAwait(false);
        DateTimeOffset? maxTimestamp = metadata.Timestamp == DateTime.MinValue ? null : ToOffset(metadata.Timestamp);
        await store.DeleteSnapshotsAsync(metadata.PersistenceId, metadata.SequenceNr, metadata.SequenceNr, null, maxTimestamp, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected sealed override async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var store = await Store.ConfigureAwait(false);
        DateTimeOffset? maxTimestamp = criteria.MaxTimeStamp == DateTime.MaxValue ? null : ToOffset(criteria.MaxTimeStamp);
        DateTimeOffset? minTimestamp = criteria.MinTimestamp is { } min && min != DateTime.MinValue ? ToOffset(min) : null;
        await store.DeleteSnapshotsAsync(persistenceId, criteria.MinSequenceNr, criteria.MaxSequenceNr, minTimestamp, maxTimestamp, cancellationToken).ConfigureAwait(false);
    }

    private static DateTimeOffset ToOffset(DateTime value) =>
        new(DateTime.SpecifyKind(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value, DateTimeKind.Utc));
}
