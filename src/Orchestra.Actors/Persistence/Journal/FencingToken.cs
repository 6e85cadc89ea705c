namespace Orchestra.Actors.Persistence;

/// <summary>
/// Names the lease a write is made under: the journal stores the write only if the lease of
/// <paramref name="EntityId"/> is still held by <paramref name="Writer"/> at <paramref name="Epoch"/>.
/// </summary>
/// <param name="EntityId">The leased entity (often the persistence id itself, e.g. <c>deployment-42</c>).</param>
/// <param name="Writer">The lease owner (a node/process incarnation id).</param>
/// <param name="Epoch">The lease epoch the writer holds.</param>
public sealed record FencingToken(string EntityId, string Writer, long Epoch);
