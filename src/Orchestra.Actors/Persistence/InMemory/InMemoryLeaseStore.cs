namespace Orchestra.Actors.Persistence;

/// <summary>An <see cref="ILeaseStore"/> in memory, for tests and single-process use. Same rules as the database stores.</summary>
public sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Dictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for expiry, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public InMemoryLeaseStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The lock shared with an <see cref="InMemoryJournal"/> fenced by this store, so the fence check is atomic with the append.</summary>
    internal object SyncRoot { get; } = new();

    /// <inheritdoc />
    public ValueTask<Lease?> TryAcquireAsync(string entityId, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            var now = _time.GetUtcNow();
            Lease result;
            if (!_leases.TryGetValue(entityId, out var current))
            {
                result = new Lease(entityId, owner, 1, now + ttl);
            }
            else if (!current.IsExpiredAt(now))
            {
                if (current.Owner != owner)
                {
                    return ValueTask.FromResult<Lease?>(null);
                }

                result = current with { ExpiresAt = now + ttl };
            }
            else
            {
                result = new Lease(entityId, owner, current.Epoch + 1, now + ttl);
            }

            _leases[entityId] = result;
            return ValueTask.FromResult<Lease?>(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<Lease?> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            if (!IsHeld(lease))
            {
                return ValueTask.FromResult<Lease?>(null);
            }

            var renewed = lease with { ExpiresAt = _time.GetUtcNow() + ttl };
            _leases[lease.EntityId] = renewed;
            return ValueTask.FromResult<Lease?>(renewed);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            if (!IsHeld(lease))
            {
                return ValueTask.FromResult(false);
            }

            _leases[lease.EntityId] = lease with { ExpiresAt = _time.GetUtcNow() };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<Lease?> GetAsync(string entityId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            return ValueTask.FromResult(_leases.GetValueOrDefault(entityId));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Lease>> ListAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (SyncRoot)
        {
            IReadOnlyList<Lease> list = _leases.Values
                .Where(l => prefix is null || l.EntityId.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(l => l.EntityId, StringComparer.Ordinal)
                .ToArray();
            return ValueTask.FromResult(list);
        }
    }

    /// <summary>Checks a fencing token; the caller holds <see cref="SyncRoot"/>.</summary>
    internal JournalFencedException? CheckFence(string persistenceId, FencingToken fence)
    {
        if (!_leases.TryGetValue(fence.EntityId, out var current))
        {
            return new JournalFencedException(persistenceId, fence, null, null);
        }

        return current.Owner == fence.Writer && current.Epoch == fence.Epoch
            ? null
            : new JournalFencedException(persistenceId, fence, current.Owner, current.Epoch);
    }

    private bool IsHeld(Lease lease) =>
        _leases.TryGetValue(lease.EntityId, out var current) && current.Owner == lease.Owner && current.Epoch == lease.Epoch;

    // The caller holds SyncRoot (the journal erases its rows and the leases in one step).
    internal void Erase(IEnumerable<string> entityIds)
    {
        foreach (var id in entityIds)
        {
            _leases.Remove(id);
        }
    }
}
