using Microsoft.Extensions.Logging;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Sqlite.Internal;

namespace Orchestra.Persistence.Sqlite;

/// <summary>
/// The SQLite backend: one database file holding the journal, the snapshots and the leases.
/// </summary>
/// <remarks>
/// <para>
/// Opening creates the file and its schema if needed (with a <c>schema_version</c> table), switches it to WAL,
/// and starts the journal's writer loop. Every connection uses the configured
/// <see cref="SqlitePersistenceOptions.Synchronous"/> level and busy timeout.
/// </para>
/// <para>
/// Several processes may open the same file (SQLite serializes writers), but each runs its own group commit, so
/// throughput is best with one process per file.
/// </para>
/// <para>Disposal commits the queued appends, then closes the connections.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var store = SqlitePersistence.Open(new SqlitePersistenceOptions { DataSource = "/var/lib/orchestra/orchestra.db" });
/// var result = await store.Journal.AppendAsync(new AtomicWrite("deployment-1", [serializer.ToAppend(1, evt)]));
/// </code>
/// </example>
public sealed class SqlitePersistence : IPersistence
{
    private readonly SqliteConnections _connections;
    private readonly SqliteJournal _journal;

    private SqlitePersistence(SqlitePersistenceOptions options, ILoggerFactory? loggerFactory)
    {
        _connections = new SqliteConnections(options);
        using (var connection = _connections.Open())
        {
            SqliteSchema.Ensure(connection);
        }

        _journal = new SqliteJournal(_connections, options, loggerFactory?.CreateLogger<SqliteJournal>());
        Snapshots = new SqliteSnapshotStore(_connections, options.TimeProvider);
        Leases = new SqliteLeaseStore(_connections, options.TimeProvider);
    }

    /// <inheritdoc cref="IPersistence.Journal" />
    public SqliteJournal Journal => _journal;

    /// <inheritdoc cref="IPersistence.Snapshots" />
    public SqliteSnapshotStore Snapshots { get; }

    /// <inheritdoc cref="IPersistence.Leases" />
    public SqliteLeaseStore Leases { get; }

    IJournal IPersistence.Journal => _journal;

    ISnapshotStore IPersistence.Snapshots => Snapshots;

    ILeaseStore IPersistence.Leases => Leases;

    /// <summary>Opens (creating if needed) the database file named by <see cref="SqlitePersistenceOptions.DataSource"/>.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/>.</param>
    /// <returns>The open stores.</returns>
    /// <exception cref="Microsoft.Data.Sqlite.SqliteException">The file cannot be opened or created.</exception>
    /// <exception cref="InvalidOperationException">The file has a newer schema version than this code supports.</exception>
    public static SqlitePersistence Open(SqlitePersistenceOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new SqlitePersistence(options, loggerFactory);
    }

    /// <summary>Commits the queued appends, then closes every connection to the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _journal.DisposeAsync().ConfigureAwait(false);
        _connections.ClearPool();
    }
}
