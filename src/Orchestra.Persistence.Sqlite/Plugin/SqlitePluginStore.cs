using Microsoft.Data.Sqlite;
using Orchestra.Persistence.Sqlite.Internal;

namespace Orchestra.Persistence.Sqlite.Plugin;

/// <summary>The SQLite store shared by the Orchestra journal and snapshot plugins of one actor system.</summary>
internal sealed class SqlitePluginStore : OrchestraPluginStore
{
    private readonly SqliteConnections _connections;

    public SqlitePluginStore(SqlitePersistenceOptions options)
        : base(SqlitePersistence.Open(options))
    {
        // Same connection string as the store's, so the same pool.
        _connections = new SqliteConnections(options);
    }

    public override ValueTask DeleteSnapshotsAsync(
        string persistenceId,
        long minSequenceNr,
        long maxSequenceNr,
        DateTimeOffset? minTimestamp,
        DateTimeOffset? maxTimestamp,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _connections.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "DELETE FROM snapshots WHERE persistence_id = $pid AND sequence_nr BETWEEN $min AND $max " +
            "AND created_at BETWEEN $from AND $to";
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$min", minSequenceNr);
        command.Parameters.AddWithValue("$max", maxSequenceNr);
        command.Parameters.AddWithValue("$from", minTimestamp is { } from ? UnixMicros.From(from) : long.MinValue);
        command.Parameters.AddWithValue("$to", maxTimestamp is { } to ? UnixMicros.From(to) : long.MaxValue);
        command.ExecuteNonQuery();
        transaction.Commit();
        return ValueTask.CompletedTask;
    }
}
