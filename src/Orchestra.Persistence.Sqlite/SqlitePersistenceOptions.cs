using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence.Sqlite;

/// <summary>Settings of the SQLite stores (<see cref="SqlitePersistence"/>).</summary>
public sealed class SqlitePersistenceOptions : PersistenceOptions
{
    /// <summary>The database file (created with its schema on first use).</summary>
    /// <value>The default is <c>orchestra.db</c> in the current directory.</value>
    public string DataSource { get; set; } = "orchestra.db";

    /// <summary>
    /// SQLite's <c>synchronous</c> setting for every connection. <see cref="SqliteSynchronous.Full"/> makes a
    /// committed transaction survive power loss; <see cref="SqliteSynchronous.Normal"/> (with WAL) survives a
    /// process crash but may lose the last transactions on power loss.
    /// </summary>
    /// <value>The default is <see cref="SqliteSynchronous.Full"/>.</value>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>How long a statement waits for another connection's write lock before failing.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(DataSource, nameof(DataSource));
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero, nameof(BusyTimeout));
    }
}

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels.</summary>
public enum SqliteSynchronous
{
    /// <summary>No fsync: fastest, loses data on a crash of the OS.</summary>
    Off = 0,

    /// <summary>With WAL: fsync at checkpoints only; durable across process crashes, not power loss.</summary>
    Normal = 1,

    /// <summary>fsync of the WAL at every commit: durable across power loss.</summary>
    Full = 2,

    /// <summary>Like <see cref="Full"/>, plus an fsync of the directory.</summary>
    Extra = 3,
}
