using Orchestra.Actors.Persistence;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>
/// A store that injects faults in front of a real one: lease renewals that throw (as when the database is unreachable), lease releases
/// held until the test lets them go (a slow round trip), and appends that throw (outcome unknown). Each fault is armed for a number of
/// calls. Everything else goes to the inner store.
/// </summary>
internal sealed class FaultyPersistence(IPersistence inner) : IPersistence, ILeaseStore, IJournal
{
    private readonly TaskCompletionSource _releasesAllowed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failRenewals;
    private int _hangRenewals;
    private int _renewStarts;
    private int _failAppends;
    private int _holdReleases;
    private int _renewCalls;
    private int _renewed;
    private int _releasesStarted;
    private int _releasesDone;

    public IJournal Journal => this;

    public ISnapshotStore Snapshots => inner.Snapshots;

    public ILeaseStore Leases => this;

    public ValueTask<long> EraseAsync(IReadOnlyCollection<string> persistenceIds, CancellationToken cancellationToken = default) =>
        inner.EraseAsync(persistenceIds, cancellationToken);

    /// <summary>Whether renewals hang until their cancellation token fires (a store that stopped answering).</summary>
    public bool HangRenewals
    {
        get => Volatile.Read(ref _hangRenewals) != 0;
        set => Volatile.Write(ref _hangRenewals, value ? 1 : 0);
    }

    /// <summary>How many renewals have been started (ended or not).</summary>
    public int RenewStarts => Volatile.Read(ref _renewStarts);

    /// <summary>How many of the next renewals throw.</summary>
    public int FailRenewals
    {
        get => Volatile.Read(ref _failRenewals);
        set => Volatile.Write(ref _failRenewals, value);
    }

    /// <summary>How many of the next appends throw.</summary>
    public int FailAppends
    {
        get => Volatile.Read(ref _failAppends);
        set => Volatile.Write(ref _failAppends, value);
    }

    /// <summary>How many of the next releases wait for <see cref="AllowReleases"/> before reaching the inner store.</summary>
    public int HoldReleases
    {
        get => Volatile.Read(ref _holdReleases);
        set => Volatile.Write(ref _holdReleases, value);
    }

    /// <summary>Every renewal asked for, thrown or not.</summary>
    public int RenewCalls => Volatile.Read(ref _renewCalls);

    /// <summary>The renewals that reached the inner store.</summary>
    public int Renewed => Volatile.Read(ref _renewed);

    /// <summary>The releases asked for.</summary>
    public int ReleasesStarted => Volatile.Read(ref _releasesStarted);

    /// <summary>The releases the inner store has carried out.</summary>
    public int ReleasesDone => Volatile.Read(ref _releasesDone);

    /// <summary>Lets the held releases go.</summary>
    public void AllowReleases() => _releasesAllowed.TrySetResult();

    public ValueTask<Lease?> TryAcquireAsync(string entityId, string owner, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        inner.Leases.TryAcquireAsync(entityId, owner, ttl, cancellationToken);

    public async ValueTask<Lease?> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _renewStarts);
        try
        {
            if (HangRenewals)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (Interlocked.Decrement(ref _failRenewals) >= 0)
            {
                throw new InvalidOperationException("the lease store is unavailable (injected)");
            }

            Interlocked.Exchange(ref _failRenewals, 0);
            var renewed = await inner.Leases.RenewAsync(lease, ttl, cancellationToken);
            Interlocked.Increment(ref _renewed);
            return renewed;
        }
        finally
        {
            Interlocked.Increment(ref _renewCalls);
        }
    }

    public async ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _releasesStarted);
        if (Interlocked.Decrement(ref _holdReleases) >= 0)
        {
            await _releasesAllowed.Task;
        }
        else
        {
            Interlocked.Exchange(ref _holdReleases, 0);
        }

        try
        {
            return await inner.Leases.ReleaseAsync(lease, cancellationToken);
        }
        finally
        {
            Interlocked.Increment(ref _releasesDone);
        }
    }

    public ValueTask<Lease?> GetAsync(string entityId, CancellationToken cancellationToken = default) => inner.Leases.GetAsync(entityId, cancellationToken);

    public ValueTask<IReadOnlyList<Lease>> ListAsync(string? prefix = null, CancellationToken cancellationToken = default) => inner.Leases.ListAsync(prefix, cancellationToken);

    public ValueTask<AppendResult> AppendAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _failAppends) >= 0)
        {
            throw new InvalidOperationException("the journal is unavailable (injected)");
        }

        Interlocked.Exchange(ref _failAppends, 0);
        return inner.Journal.AppendAsync(write, cancellationToken);
    }

    public IAsyncEnumerable<JournalEvent> ReadEventsAsync(string persistenceId, long fromSequenceNr = 1, long toSequenceNr = long.MaxValue, long max = long.MaxValue, CancellationToken cancellationToken = default) =>
        inner.Journal.ReadEventsAsync(persistenceId, fromSequenceNr, toSequenceNr, max, cancellationToken);

    public ValueTask<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) =>
        inner.Journal.ReadHighestSequenceNrAsync(persistenceId, cancellationToken);

    public ValueTask DeleteEventsToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
        inner.Journal.DeleteEventsToAsync(persistenceId, toSequenceNr, cancellationToken);

    public IAsyncEnumerable<JournalEvent> ReadAllEventsAsync(long afterOrdering, int max = int.MaxValue, CancellationToken cancellationToken = default) =>
        inner.Journal.ReadAllEventsAsync(afterOrdering, max, cancellationToken);

    public IAsyncEnumerable<string> ReadPersistenceIdsAsync(string? prefix = null, CancellationToken cancellationToken = default) =>
        inner.Journal.ReadPersistenceIdsAsync(prefix, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
