using Npgsql;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Postgres.Internal;

namespace Orchestra.Persistence.Postgres;

/// <summary>The <see cref="ISnapshotStore"/> on PostgreSQL. Obtain it from <see cref="PostgresPersistence"/>.</summary>
/// <remarks>
/// Each call is one statement on a pooled connection; thread-safe. Every snapshot carries a <see cref="JournalChecksum"/>;
/// one changed after it was saved throws <see cref="JournalCorruptedException"/>.
/// </remarks>
public sealed class PostgresSnapshotStore : ISnapshotStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _s;
    private readonly int _timeout;
    private readonly TimeProvider _time;

    internal PostgresSnapshotStore(NpgsqlDataSource dataSource, PostgresPersistenceOptions options)
    {
        _dataSource = dataSource;
        _s = PostgresSchema.Quote(options.Schema);
        _timeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _time = options.TimeProvider;
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(string persistenceId, long sequenceNr, string manifest, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        var command = _dataSource.CreateCommand(
            $"""
            INSERT INTO {_s}.snapshots (persistence_id, sequence_nr, manifest, payload, created_at, checksum) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET
                manifest = excluded.manifest, payload = excluded.payload, created_at = excluded.created_at, checksum = excluded.checksum
            """);
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = _timeout;
        command.Parameters.AddWithValue(persistenceId);
        command.Parameters.AddWithValue(sequenceNr);
        command.Parameters.AddWithValue(manifest);
        command.Parameters.AddWithValue(payload.ToArray());
        command.Parameters.AddWithValue(_time.GetUtcNow());
        command.Parameters.AddWithValue(JournalChecksum.Compute(persistenceId, sequenceNr, manifest, payload.Span));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<Snapshot?> LoadLatestAsync(string persistenceId, long maxSequenceNr = long.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        var command = _dataSource.CreateCommand(
            $"SELECT sequence_nr, manifest, payload, created_at, checksum FROM {_s}.snapshots WHERE persistence_id = $1 AND sequence_nr <= $2 ORDER BY sequence_nr DESC LIMIT 1");
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = _timeout;
        command.Parameters.AddWithValue(persistenceId);
        command.Parameters.AddWithValue(maxSequenceNr);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var (sequenceNr, manifest, payload) = (reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2));
        if (!JournalChecksum.Matches(reader.IsDBNull(4) ? null : reader.GetInt64(4), persistenceId, sequenceNr, manifest, payload))
        {
            throw new JournalCorruptedException(persistenceId, sequenceNr, manifest, "snapshot");
        }

        return new Snapshot(persistenceId, sequenceNr, manifest, payload, reader.GetFieldValue<DateTimeOffset>(3));
    }

    /// <inheritdoc />
    public async ValueTask DeleteOlderThanAsync(string persistenceId, long sequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        var command = _dataSource.CreateCommand($"DELETE FROM {_s}.snapshots WHERE persistence_id = $1 AND sequence_nr < $2");
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = _timeout;
        command.Parameters.AddWithValue(persistenceId);
        command.Parameters.AddWithValue(sequenceNr);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
