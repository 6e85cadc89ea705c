using Microsoft.Data.Sqlite;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Sqlite.Internal;

namespace Orchestra.Persistence.Sqlite;

/// <summary>The <see cref="ISnapshotStore"/> on SQLite. Obtain it from <see cref="SqlitePersistence"/>.</summary>
/// <remarks>
/// Each call uses its own pooled connection and transaction; thread-safe. Every snapshot carries a
/// <see cref="JournalChecksum"/>; one whose content changed after it was saved throws <see cref="JournalCorruptedException"/>.
/// </remarks>
public sealed class SqliteSnapshotStore : ISnapshotStore
{
    private readonly SqliteConnections _connections;
    private readonly TimeProvider _time;
    private readonly string _checksum;

    internal SqliteSnapshotStore(SqliteConnections connections, TimeProvider time, bool checksums)
    {
        _connections = connections;
        _time = time;
        _checksum = checksums ? "checksum" : "NULL";
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(string persistenceId, long sequenceNr, string manifest, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        cancellationToken.ThrowIfCancellationRequested();
        _connections.Write(() =>
        {
            using var connection = _connections.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO snapshots (persistence_id, sequence_nr, manifest, payload, created_at, checksum)
                VALUES ($pid, $seq, $manifest, $payload, $created, $checksum)
                ON CONFLICT (persistence_id, sequence_nr) DO UPDATE SET
                    manifest = excluded.manifest, payload = excluded.payload, created_at = excluded.created_at, checksum = excluded.checksum
                """;
            command.Parameters.AddWithValue("$pid", persistenceId);
            command.Parameters.AddWithValue("$seq", sequenceNr);
            command.Parameters.AddWithValue("$manifest", manifest);
            command.Parameters.Add("$payload", SqliteType.Blob).Value = payload.ToArray();
            command.Parameters.AddWithValue("$created", UnixMicros.From(_time.GetUtcNow()));
            command.Parameters.AddWithValue("$checksum", JournalChecksum.Compute(persistenceId, sequenceNr, manifest, payload.Span));
            command.ExecuteNonQuery();
            transaction.Commit();
            return 0;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<Snapshot?> LoadLatestAsync(string persistenceId, long maxSequenceNr = long.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_connections.Run(() => Load(persistenceId, maxSequenceNr)));
    }

    private Snapshot? Load(string persistenceId, long maxSequenceNr)
    {
        using var connection = _connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT sequence_nr, manifest, payload, created_at, {_checksum} FROM snapshots " +
            "WHERE persistence_id = $pid AND sequence_nr <= $max ORDER BY sequence_nr DESC LIMIT 1";
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$max", maxSequenceNr);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var (sequenceNr, manifest, payload) = (reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2));
        if (!JournalChecksum.Matches(reader.IsDBNull(4) ? null : reader.GetInt64(4), persistenceId, sequenceNr, manifest, payload))
        {
            throw new JournalCorruptedException(persistenceId, sequenceNr, manifest, "snapshot");
        }

        return new Snapshot(persistenceId, sequenceNr, manifest, payload, UnixMicros.To(reader.GetInt64(3)));
    }

    /// <inheritdoc />
    public ValueTask DeleteOlderThanAsync(string persistenceId, long sequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        cancellationToken.ThrowIfCancellationRequested();
        _connections.Write(() =>
        {
            using var connection = _connections.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM snapshots WHERE persistence_id = $pid AND sequence_nr < $seq";
            command.Parameters.AddWithValue("$pid", persistenceId);
            command.Parameters.AddWithValue("$seq", sequenceNr);
            command.ExecuteNonQuery();
            transaction.Commit();
            return 0;
        });
        return ValueTask.CompletedTask;
    }
}
