using Microsoft.Data.Sqlite;
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
/// <para>
/// A file that cannot be written (a read-only file, folder or medium) is opened read-only, as it is: not migrated,
/// every read works, every write fails with a read-only <see cref="StoreFaultException"/> (<see cref="IsReadOnly"/>).
/// A storage error on any connection (I/O, corrupt, full, a store file deleted while open) stops the journal's writer
/// for good; see <see cref="GroupCommitJournal"/>.
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
        (_connections, var version) = OpenFile(options);
        var checksums = version >= SqliteSchema.ChecksumVersion;
        _journal = new SqliteJournal(_connections, options, checksums, loggerFactory?.CreateLogger<SqliteJournal>());
        Snapshots = new SqliteSnapshotStore(_connections, options.TimeProvider, checksums);
        Leases = new SqliteLeaseStore(_connections, options.TimeProvider);
    }

    /// <inheritdoc cref="IPersistence.Journal" />
    public SqliteJournal Journal => _journal;

    /// <inheritdoc cref="IPersistence.Snapshots" />
    public SqliteSnapshotStore Snapshots { get; }

    /// <inheritdoc cref="IPersistence.Leases" />
    public SqliteLeaseStore Leases { get; }

    /// <summary>Whether the file could not be written and was opened read-only (reads work, writes fail).</summary>
    public bool IsReadOnly => _connections.ReadOnly;

    IJournal IPersistence.Journal => _journal;

    ISnapshotStore IPersistence.Snapshots => Snapshots;

    ILeaseStore IPersistence.Leases => Leases;

    /// <summary>Opens (creating if needed) the database file named by <see cref="SqlitePersistenceOptions.DataSource"/>.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/>.</param>
    /// <returns>The open stores.</returns>
    /// <exception cref="StoreFaultException">The file cannot be opened or created, or it is corrupt.</exception>
    /// <exception cref="InvalidOperationException">The file has a newer schema version than this code supports.</exception>
    public static SqlitePersistence Open(SqlitePersistenceOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new SqlitePersistence(options, loggerFactory);
    }

    private static (SqliteConnections Connections, int Version) OpenFile(SqlitePersistenceOptions options)
    {
        var connections = new SqliteConnections(options);
        try
        {
            using var connection = connections.Open();
            return (connections, SqliteSchema.Ensure(connection));
        }
        catch (SqliteException e) when (SqliteFaults.IsReadOnly(e) && File.Exists(connections.Path))
        {
            connections.ClearPool();
        }
        catch (SqliteException e) when (SqliteFaults.Classify(connections.Path, e) is { } fault)
        {
            connections.ClearPool();
            throw fault;
        }

        var readOnly = new SqliteConnections(options, readOnly: true);
        try
        {
            using var connection = readOnly.Open();
            return (readOnly, SqliteSchema.ReadVersion(connection));
        }
        catch (SqliteException e) when (SqliteFaults.Classify(readOnly.Path, e) is { } fault)
        {
            readOnly.ClearPool();
            throw fault;
        }
    }

    /// <inheritdoc />
    /// <exception cref="StoreFaultException">The file cannot be written (read-only, full, I/O error); nothing was removed.</exception>
    public ValueTask<long> EraseAsync(IReadOnlyCollection<string> persistenceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceIds);
        cancellationToken.ThrowIfCancellationRequested();
        if (persistenceIds.Count == 0)
        {
            return ValueTask.FromResult(0L);
        }

        return ValueTask.FromResult(_connections.Write(() =>
        {
            using var connection = _connections.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var id = command.Parameters.Add("$pid", SqliteType.Text);
            long removed = 0;
            foreach (var persistenceId in persistenceIds.Distinct(StringComparer.Ordinal))
            {
                id.Value = persistenceId;
                command.CommandText = "DELETE FROM journal WHERE persistence_id = $pid";
                removed += command.ExecuteNonQuery();
                command.CommandText = "DELETE FROM journal_deletions WHERE persistence_id = $pid; DELETE FROM snapshots WHERE persistence_id = $pid; " +
                    "DELETE FROM leases WHERE entity_id = $pid;";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return removed;
        }));
    }

    /// <summary>Commits the queued appends, then closes every connection to the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _journal.DisposeAsync().ConfigureAwait(false);
        _connections.ClearPool();
    }
}
