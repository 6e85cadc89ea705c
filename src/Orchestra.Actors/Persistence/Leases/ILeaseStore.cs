namespace Orchestra.Actors.Persistence;

/// <summary>
/// Leases give one owner (a node or process incarnation) the exclusive right to run an entity (e.g. a
/// deployment) for a time-to-live, renewed while the owner is alive. The lease epoch is the fencing token
/// of the journal (<see cref="FencingToken"/>).
/// </summary>
/// <remarks>
/// <para>Rules:</para>
/// <list type="bullet">
/// <item><description>A lease that never existed is acquired at epoch 1.</description></item>
/// <item><description>A live lease (expires_at &gt; now) cannot be acquired by another owner; its owner acquiring
/// it again gets the same epoch with a new expiry.</description></item>
/// <item><description>An expired or released lease can be acquired by anyone (its old owner included), and
/// acquiring it always increments the epoch: every journal write fenced with an older epoch is then rejected,
/// even before the new owner writes anything.</description></item>
/// <item><description>Lease rows are never deleted, so epochs only grow; the one exception is <see cref="IPersistence.EraseAsync"/>, which
/// forgets an entity that nothing runs any more (with its journal), after which it starts again at epoch 1.</description></item>
/// </list>
/// <para>
/// <b>Clocks.</b> "now" is the store's <see cref="TimeProvider"/> (tests use a fake clock); database stores
/// pass it into the SQL rather than using the database clock. Expiry therefore assumes the clocks of the
/// nodes sharing a store agree to well within the lease TTL. Clock skew can only cause a premature takeover
/// (liveness); it cannot cause two writers to write, because writes are fenced by epoch, not by time.
/// </para>
/// <para>Implementations are thread-safe and every operation is atomic.</para>
/// </remarks>
public interface ILeaseStore
{
    /// <summary>
    /// Acquires the lease of <paramref name="entityId"/> for <paramref name="owner"/> for <paramref name="ttl"/>,
    /// or returns <see langword="null"/> if another owner holds it and it has not expired.
    /// </summary>
    /// <param name="entityId">The leased entity.</param>
    /// <param name="owner">The would-be owner.</param>
    /// <param name="ttl">How long the lease lasts without renewal.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    ValueTask<Lease?> TryAcquireAsync(string entityId, string owner, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends <paramref name="lease"/> to now + <paramref name="ttl"/> if it is still held by the same owner at
    /// the same epoch (even if it expired meanwhile, as long as nobody took it over); otherwise returns
    /// <see langword="null"/>: the lease is lost and the owner must stop.
    /// </summary>
    /// <param name="lease">The lease held.</param>
    /// <param name="ttl">The new time-to-live from now.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    ValueTask<Lease?> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases <paramref name="lease"/> (it expires now, keeping its epoch) if still held by the same owner at the
    /// same epoch. Returns whether it was released.
    /// </summary>
    /// <param name="lease">The lease held.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default);

    /// <summary>Reads the current lease row of <paramref name="entityId"/> (live or expired), or <see langword="null"/>.</summary>
    /// <param name="entityId">The leased entity.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<Lease?> GetAsync(string entityId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists every lease, live and expired (a takeover scan looks for expired ones), ordered by entity id,
    /// optionally only those whose entity id starts with <paramref name="prefix"/>.
    /// </summary>
    /// <param name="prefix">The entity id prefix, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<Lease>> ListAsync(string? prefix = null, CancellationToken cancellationToken = default);
}
