using Orchestra.Actors.Persistence;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>
/// A store whose lease renewals throw (as when the database is unreachable) while <see cref="FailRenewals"/> is above zero; everything
/// else goes to the inner store. Counts the renewals asked for and those that reached the inner store.
/// </summary>
internal sealed class FlakyLeasePersistence(IPersistence inner) : IPersistence, ILeaseStore
{
    private int _failRenewals;
    private int _renewCalls;
    private int _renewed;

    public IJournal Journal => inner.Journal;

    public ISnapshotStore Snapshots => inner.Snapshots;

    public ILeaseStore Leases => this;

    /// <summary>How many of the next renewals throw.</summary>
    public int FailRenewals
    {
        get => Volatile.Read(ref _failRenewals);
        set => Volatile.Write(ref _failRenewals, value);
    }

    /// <summary>Every renewal asked for, thrown or not.</summary>
    public int RenewCalls => Volatile.Read(ref _renewCalls);

    /// <summary>The renewals that reached the inner store.</summary>
    public int Renewed => Volatile.Read(ref _renewed);

    public ValueTask<Lease?> TryAcquireAsync(string entityId, string owner, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        inner.Leases.TryAcquireAsync(entityId, owner, ttl, cancellationToken);

    public async ValueTask<Lease?> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        try
        {
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

    public ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default) => inner.Leases.ReleaseAsync(lease, cancellationToken);

    public ValueTask<Lease?> GetAsync(string entityId, CancellationToken cancellationToken = default) => inner.Leases.GetAsync(entityId, cancellationToken);

    public ValueTask<IReadOnlyList<Lease>> ListAsync(string? prefix = null, CancellationToken cancellationToken = default) => inner.Leases.ListAsync(prefix, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
