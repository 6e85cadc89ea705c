using Microsoft.Data.Sqlite;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Sqlite.Internal;

namespace Orchestra.Persistence.Sqlite;

/// <summary>The <see cref="ISnapshotStore"/> on SQLite. Obtain it from <see cref="SqlitePersistence"/>.</summary>
/// <remarks>Each call uses its own pooled connection and transaction; thread-safe.</remarks>
public sealed class SqliteSnapshotStore : ISnapshotStore
{
    private readonly SqliteConnections _connections;
    private readonly TimeProvider _time;

    internal SqliteSnapshotStore(SqliteConnections connections, TimeProvider time)
    {
        _connections = connections;
        _time = time;
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(string persistenceId, long sequenceNr, string manifest, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _connections.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO snapshots (persistence_id, sequence_nr, manifest, payload, created_at)
            VALUES ($pid, $seq, $manifest, $payload, $created)
            ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET
                manifest = excluded.manifest, payload = excluded.payload, created_at = excluded.created_at
            """;
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$seq", sequenceNr);
        command.Parameters.AddWithValue("$manifest", manifest);
        command.Parameters.Add("$payload", SqliteType.Blob).Value = payload.ToArray();
        command.Parameters.AddWithValue("$created", UnixMicros.From(_time.GetUtcNow()));
        command.ExecuteNonQuery();
        transaction.Commit();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<Snapshot?> LoadLatestAsync(string persistenceId, long maxSequenceNr = long.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT sequence_nr, manifest, payload, created_at FROM snapshots " +
            "WHERE persistence_id = $pid AND sequence_nr <= $max ORDER BY sequence_nr DESC LIMIT 1";
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$max", maxSequenceNr);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return ValueTask.FromResult<Snapshot?>(null);
        }

        return ValueTask.FromResult<Snapshot?>(new Snapshot(
            persistenceId, reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), UnixMicros.To(reader.GetInt64(3))));
    }

    /// <inheritdoc />
    public ValueTask DeleteOlderThanAsync(string persistenceId, long sequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _connections.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM snapshots WHERE persistence_id = $pid AND sequence_nr < $seq";
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$seq", sequenceNr);
        command.ExecuteNonQuery();
        transaction.Commit();
        return ValueTask.CompletedTask;
    }
}
