using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Postgres.Internal;

namespace Orchestra.Persistence.Postgres;

/// <summary>
/// The PostgreSQL backend (the cluster store): journal, snapshots and leases in one schema, shared by every node.
/// </summary>
/// <remarks>
/// <para>
/// Opening creates the schema and its tables if needed (with a <c>schema_version</c> table), under an advisory
/// lock so that nodes starting together do not race. Payloads are stored as <c>bytea</c>: the journal keeps the
/// serializer's bytes exactly (jsonb would re-encode them, reorder keys and refuse a payload that is not JSON,
/// whereas a corrupt row must stay readable so it can be reported), and writes skip jsonb's parsing cost.
/// </para>
/// <para>Disposal commits the queued appends, then disposes the data source if this instance created it.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var store = await PostgresPersistence.OpenAsync(new PostgresPersistenceOptions
/// {
///     ConnectionString = "Host=db;Username=orchestra;Database=orchestra",
///     Schema = "orchestra",
/// });
/// </code>
/// </example>
public sealed class PostgresPersistence : IPersistence
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresJournal _journal;
    private readonly PostgresPersistenceOptions _options;

    private PostgresPersistence(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresPersistenceOptions options, ILoggerFactory? loggerFactory)
    {
        _dataSource = dataSource;
        _options = options;
        _ownsDataSource = ownsDataSource;
        _journal = new PostgresJournal(dataSource, options, loggerFactory?.CreateLogger<PostgresJournal>());
        Snapshots = new PostgresSnapshotStore(dataSource, options);
        Leases = new PostgresLeaseStore(dataSource, options);
    }

    /// <inheritdoc cref="IPersistence.Journal" />
    public PostgresJournal Journal => _journal;

    /// <inheritdoc cref="IPersistence.Snapshots" />
    public PostgresSnapshotStore Snapshots { get; }

    /// <inheritdoc cref="IPersistence.Leases" />
    public PostgresLeaseStore Leases { get; }

    IJournal IPersistence.Journal => _journal;

    ISnapshotStore IPersistence.Snapshots => Snapshots;

    ILeaseStore IPersistence.Leases => Leases;

    /// <summary>Connects, creates the schema if needed and starts the journal writer.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="dataSource">
    /// A data source to use (not disposed by this instance), or <see langword="null"/> to build one from
    /// <see cref="PostgresPersistenceOptions.ConnectionString"/>.
    /// </param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open stores.</returns>
    /// <exception cref="NpgsqlException">The server cannot be reached or the schema cannot be created.</exception>
    /// <exception cref="InvalidOperationException">The schema has a newer version than this code supports.</exception>
    public static async Task<PostgresPersistence> OpenAsync(
        PostgresPersistenceOptions options,
        NpgsqlDataSource? dataSource = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var owns = dataSource is null;
        if (dataSource is null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options));
            dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        }

        try
        {
            await PostgresSchema.EnsureAsync(dataSource, options, cancellationToken).ConfigureAwait(false);
            return new PostgresPersistence(dataSource, owns, options, loggerFactory);
        }
        catch when (owns)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The server failed the transaction; nothing was removed.</exception>
    public async ValueTask<long> EraseAsync(IReadOnlyCollection<string> persistenceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceIds);
        if (persistenceIds.Count == 0)
        {
            return 0;
        }

        var s = PostgresSchema.Quote(_options.Schema);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var command = new NpgsqlCommand($"DELETE FROM {s}.journal WHERE persistence_id = ANY($1)", connection, transaction);
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = (int)Math.Ceiling(_options.CommandTimeout.TotalSeconds);
        command.Parameters.AddWithValue(persistenceIds.Distinct(StringComparer.Ordinal).ToArray());
        long removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in new[]
        {
            $"DELETE FROM {s}.journal_deletions WHERE persistence_id = ANY($1)",
            $"DELETE FROM {s}.snapshots WHERE persistence_id = ANY($1)",
            $"DELETE FROM {s}.leases WHERE entity_id = ANY($1)",
        })
        {
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <summary>Commits the queued appends, then releases the data source if this instance created it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _journal.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }
}
