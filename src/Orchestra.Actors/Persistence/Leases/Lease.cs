namespace Orchestra.Actors.Persistence;

/// <summary>A lease row: who owns <paramref name="EntityId"/>, at which epoch, until when.</summary>
/// <param name="EntityId">The leased entity.</param>
/// <param name="Owner">The owner.</param>
/// <param name="Epoch">The epoch: starts at 1, incremented on every takeover.</param>
/// <param name="ExpiresAt">When the lease expires unless renewed.</param>
public sealed record Lease(string EntityId, string Owner, long Epoch, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether the lease has expired at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt <= now;

    /// <summary>The fencing token for journal writes made under this lease.</summary>
    public FencingToken ToFencingToken() => new(EntityId, Owner, Epoch);
}
