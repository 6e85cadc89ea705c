namespace Orchestra.Actors.Persistence;

/// <summary>An <see cref="ISnapshotStore"/> in memory, for tests and single-process use.</summary>
public sealed class InMemorySnapshotStore : ISnapshotStore
{
    private readonly Dictionary<string, SortedList<long, Snapshot>> _snapshots = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for timestamps, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public InMemorySnapshotStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(string persistenceId, long sequenceNr, string manifest, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_snapshots)
        {
            if (!_snapshots.TryGetValue(persistenceId, out var list))
            {
                list = [];
                _snapshots[persistenceId] = list;
            }

            list[sequenceNr] = new Snapshot(persistenceId, sequenceNr, manifest, payload.ToArray(), _time.GetUtcNow());
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<Snapshot?> LoadLatestAsync(string persistenceId, long maxSequenceNr = long.MaxValue, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_snapshots)
        {
            if (_snapshots.TryGetValue(persistenceId, out var list))
            {
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (list.Keys[i] <= maxSequenceNr)
                    {
                        return ValueTask.FromResult<Snapshot?>(list.Values[i]);
                    }
                }
            }

            return ValueTask.FromResult<Snapshot?>(null);
        }
    }

    /// <inheritdoc />
    public ValueTask DeleteOlderThanAsync(string persistenceId, long sequenceNr, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_snapshots)
        {
            if (_snapshots.TryGetValue(persistenceId, out var list))
            {
                while (list.Count > 0 && list.Keys[0] < sequenceNr)
                {
                    list.RemoveAt(0);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    internal void Erase(IEnumerable<string> persistenceIds)
    {
        lock (_snapshots)
        {
            foreach (var id in persistenceIds)
            {
                _snapshots.Remove(id);
            }
        }
    }
}
