using System.Runtime.CompilerServices;

namespace Orchestra.Actors.Persistence;

/// <summary>
/// An <see cref="IJournal"/> in memory, for tests and single-process use. Same semantics as the database
/// journals, fencing included (against the <see cref="InMemoryLeaseStore"/> given to it).
/// </summary>
public sealed class InMemoryJournal : IJournal
{
    private readonly object _lock;
    private readonly InMemoryLeaseStore? _leases;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, SortedList<long, JournalEvent>> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _highest = new(StringComparer.Ordinal);
    private readonly List<JournalEvent> _all = [];
    private long _ordering;

    /// <summary>Creates an empty journal.</summary>
    /// <param name="leases">
    /// The lease store that fences writes; <see langword="null"/> means no lease exists, so every fenced append is rejected.
    /// </param>
    /// <param name="timeProvider">The clock for timestamps, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public InMemoryJournal(InMemoryLeaseStore? leases = null, TimeProvider? timeProvider = null)
    {
        _leases = leases;
        _lock = leases?.SyncRoot ?? new object();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        write.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (write.Fence is { } fence)
            {
                var fenced = _leases is null ? new JournalFencedException(write.PersistenceId, fence, null, null) : _leases.CheckFence(write.PersistenceId, fence);
                if (fenced is not null)
                {
                    return ValueTask.FromResult(AppendResult.Rejected(fenced));
                }
            }

            if (!_byId.TryGetValue(write.PersistenceId, out var events))
            {
                events = [];
                _byId[write.PersistenceId] = events;
            }

            foreach (var e in write.Events)
            {
                if (events.ContainsKey(e.SequenceNr))
                {
                    return ValueTask.FromResult(AppendResult.Rejected(
                        new JournalConcurrencyException(write.PersistenceId, write.LowestSequenceNr, write.HighestSequenceNr)));
                }
            }

            var now = _time.GetUtcNow();
            foreach (var e in write.Events)
            {
                var stored = new JournalEvent(
                    write.PersistenceId, e.SequenceNr, e.Manifest, e.Payload.ToArray(), write.Fence?.Writer, write.Fence?.Epoch ?? 0, ++_ordering, now);
                events.Add(e.SequenceNr, stored);
                _all.Add(stored);
            }

            _highest[write.PersistenceId] = Math.Max(_highest.GetValueOrDefault(write.PersistenceId), write.HighestSequenceNr);
            return ValueTask.FromResult(AppendResult.Success);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JournalEvent> ReadEventsAsync(
        string persistenceId,
        long fromSequenceNr = 1,
        long toSequenceNr = long.MaxValue,
        long max = long.MaxValue,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        JournalEvent[] page;
        lock (_lock)
        {
            page = _byId.TryGetValue(persistenceId, out var events)
                ? events.Values.Where(e => e.SequenceNr >= fromSequenceNr && e.SequenceNr <= toSequenceNr).Take((int)Math.Min(max, int.MaxValue)).ToArray()
                : [];
        }

        foreach (var e in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_highest.GetValueOrDefault(persistenceId));
        }
    }

    /// <inheritdoc />
    public ValueTask DeleteEventsToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_byId.TryGetValue(persistenceId, out var events))
            {
                while (events.Count > 0 && events.Keys[0] <= toSequenceNr)
                {
                    events.RemoveAt(0);
                }

                _all.RemoveAll(e => e.PersistenceId == persistenceId && e.SequenceNr <= toSequenceNr);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JournalEvent> ReadAllEventsAsync(
        long afterOrdering,
        int max = int.MaxValue,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JournalEvent[] page;
        lock (_lock)
        {
            var lo = 0;
            var hi = _all.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_all[mid].Ordering <= afterOrdering)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            page = _all.Skip(lo).Take(max).ToArray();
        }

        foreach (var e in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ReadPersistenceIdsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string[] ids;
        lock (_lock)
        {
            ids = _highest.Keys
                .Where(id => prefix is null || id.StartsWith(prefix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToArray();
        }

        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return id;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    // Under the lock shared with the lease store, so that the journal and the leases are erased together.
    internal long Erase(IReadOnlyCollection<string> persistenceIds)
    {
        var ids = persistenceIds.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            long removed = 0;
            foreach (var id in ids)
            {
                if (_byId.Remove(id, out var events))
                {
                    removed += events.Count;
                }

                _highest.Remove(id);
            }

            _all.RemoveAll(e => ids.Contains(e.PersistenceId));
            _leases?.Erase(ids);
            return removed;
        }
    }
}
