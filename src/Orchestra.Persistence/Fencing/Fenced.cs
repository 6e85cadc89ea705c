using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence;

/// <summary>
/// An event persisted under a lease: a persistent actor persists <c>new Fenced(lease.ToFencingToken(), evt)</c> and
/// the Orchestra journal stores <paramref name="Event"/> only if the lease named by <paramref name="Token"/> is still
/// current, checked inside the transaction that inserts it.
/// </summary>
/// <remarks>
/// <para>
/// The token travels with the write itself, not through a registry beside the journal: a write still queued from a
/// stopped incarnation goes out with the epoch it was made under, and is rejected once the lease has moved on.
/// </para>
/// <para>
/// The journal stores the bare <paramref name="Event"/> (its manifest, payload, and the token's writer and epoch);
/// the persist handler receives the <see cref="Fenced"/> it persisted, recovery replays the bare event. A stale token
/// makes the write a rejection (<see cref="JournalFencedException"/> in <c>OnPersistRejected</c>): nothing was stored.
/// Every event of one <c>PersistAll</c> must carry the same token, or the whole atomic write is rejected.
/// </para>
/// </remarks>
/// <param name="Token">The lease (entity, owner, epoch) the write is made under.</param>
/// <param name="Event">The event to store.</param>
public sealed record Fenced(FencingToken Token, object Event);
