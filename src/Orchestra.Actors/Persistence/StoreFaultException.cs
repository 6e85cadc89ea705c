namespace Orchestra.Actors.Persistence;

/// <summary>
/// The store itself failed (its file was lost, is corrupt, read-only or full, or an I/O error occurred): not one
/// append's or one event's problem. The message says which store and why, in words fit for an operator.
/// </summary>
/// <remarks>
/// A store that raised it for a write accepts no more writes for the rest of its life: the journal fails every
/// queued and later append with the same exception, because what it acknowledged before may not be durable. Reads
/// may still work (a read-only store is read normally).
/// </remarks>
public sealed class StoreFaultException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="store">Names the store (a file path, or a server and schema).</param>
    /// <param name="kind">What kind of fault it is.</param>
    /// <param name="message">The whole reason, naming the store.</param>
    /// <param name="innerException">The database error, if any.</param>
    public StoreFaultException(string store, StoreFaultKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Store = store;
        Kind = kind;
    }

    /// <summary>Names the store (a file path, or a server and schema).</summary>
    public string Store { get; }

    /// <summary>What kind of fault it is.</summary>
    public StoreFaultKind Kind { get; }

    /// <summary>Finds a store fault in <paramref name="exception"/> or its inner exceptions.</summary>
    /// <param name="exception">The exception to search, or <see langword="null"/>.</param>
    /// <returns>The first <see cref="StoreFaultException"/> in the chain, or <see langword="null"/>.</returns>
    public static StoreFaultException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StoreFaultException fault)
            {
                return fault;
            }

            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(Find).FirstOrDefault(f => f is not null);
            }
        }

        return null;
    }
}

/// <summary>The kinds of <see cref="StoreFaultException"/>.</summary>
public enum StoreFaultKind
{
    /// <summary>An I/O error: the medium or the file system failed.</summary>
    Io,

    /// <summary>A file of the store was deleted or replaced while open (e.g. SQLite's <c>-wal</c>): acknowledged writes may be lost.</summary>
    Lost,

    /// <summary>The database file is damaged or is not a database.</summary>
    Corrupt,

    /// <summary>The store cannot be written (a read-only file, folder or medium); it can still be read.</summary>
    ReadOnly,

    /// <summary>The medium is full or the database reached its size limit.</summary>
    Full,
}
