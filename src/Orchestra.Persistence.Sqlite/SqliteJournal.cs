using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Sqlite.Internal;

namespace Orchestra.Persistence.Sqlite;

/// <summary>
/// The <see cref="IJournal"/> on SQLite: a single writer connection commits the appends of all actors in one
/// transaction per batch (group commit); reads use pooled WAL reader connections.
/// </summary>
/// <remarks>
/// <para>
/// Each append of a batch runs inside its own savepoint: a duplicate sequence number or a stale fence rolls back
/// that append only and rejects it, while the others commit. Fencing reads the lease row inside the same
/// <c>BEGIN IMMEDIATE</c> transaction, so no lease change can slip between the check and the insert.
/// </para>
/// <para>
/// Every row carries a <see cref="JournalChecksum"/>, verified on every read: a row changed after it was written throws
/// <see cref="JournalCorruptedException"/> instead of being returned (rows of a store written before checksums are read
/// unverified). After every commit the writer checks that the database file and its <c>-wal</c> are still the files it
/// writes to; one deleted or replaced while open, or a storage error on any connection, is a
/// <see cref="StoreFaultException"/> that stops the writer for good (a lost <c>-wal</c> is first copied back into the
/// database file by a checkpoint, which the writer can still do through its open descriptor).
/// Obtain it from <see cref="SqlitePersistence"/>.
/// </para>
/// </remarks>
public sealed class SqliteJournal : GroupCommitJournal
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    private readonly SqliteConnections _connections;
    private readonly TimeProvider _time;
    private readonly string _columns;
    private readonly SqliteFileGuard _guard;
    private SqliteConnection? _writer;
    private SqliteCommand? _insert;
    private SqliteCommand? _fence;
    private SqliteCommand? _savepoint;
    private SqliteCommand? _rollbackToSavepoint;
    private SqliteCommand? _releaseSavepoint;

    internal SqliteJournal(SqliteConnections connections, SqlitePersistenceOptions options, bool checksums, ILogger? logger)
        : base(options, logger)
    {
        _connections = connections;
        _time = options.TimeProvider;
        _columns = "persistence_id, sequence_nr, manifest, payload, writer, epoch, ordering, created_at, " + (checksums ? "checksum" : "NULL");
        _guard = new SqliteFileGuard(connections.Path);
    }

    /// <inheritdoc />
    public override ValueTask<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_connections.Run(() =>
        {
            using var connection = _connections.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT max(coalesce((SELECT max(sequence_nr) FROM journal WHERE persistence_id = $pid), 0), " +
                "coalesce((SELECT deleted_to FROM journal_deletions WHERE persistence_id = $pid), 0))";
            command.Parameters.AddWithValue("$pid", persistenceId);
            return (long)command.ExecuteScalar()!;
        }));
    }

    /// <inheritdoc />
    public override ValueTask DeleteEventsToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        cancellationToken.ThrowIfCancellationRequested();
        _connections.Write(() =>
        {
            using var connection = _connections.Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO journal_deletions (persistence_id, deleted_to)
                SELECT $pid, max(sequence_nr) FROM journal WHERE persistence_id = $pid AND sequence_nr <= $to HAVING count(*) > 0
                ON CONFLICT (persistence_id) DO UPDATE SET deleted_to = max(deleted_to, excluded.deleted_to);
                DELETE FROM journal WHERE persistence_id = $pid AND sequence_nr <= $to;
                """;
            command.Parameters.AddWithValue("$pid", persistenceId);
            command.Parameters.AddWithValue("$to", toSequenceNr);
            command.ExecuteNonQuery();
            transaction.Commit();
            return 0;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ReadPersistenceIdsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var ids = _connections.Run(() => ReadIds(prefix, cancellationToken));
        foreach (var id in ids)
        {
            yield return id;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private List<string> ReadIds(string? prefix, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        using (var connection = _connections.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT persistence_id FROM (
                    SELECT DISTINCT persistence_id FROM journal WHERE persistence_id >= $prefix
                    UNION
                    SELECT persistence_id FROM journal_deletions WHERE persistence_id >= $prefix)
                ORDER BY persistence_id
                """;
            command.Parameters.AddWithValue("$prefix", prefix ?? string.Empty);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var id = reader.GetString(0);
                if (prefix is not null && !id.StartsWith(prefix, StringComparison.Ordinal))
                {
                    break;
                }

                ids.Add(id);
            }
        }

        return ids;
    }

    /// <inheritdoc />
    protected override ValueTask WriteBatchAsync(IReadOnlyList<JournalBatchItem> batch, CancellationToken cancellationToken)
    {
        if (_connections.Fault is { } fault)
        {
            throw fault;
        }

        if (_connections.ReadOnly)
        {
            throw SqliteFaults.ReadOnly(_connections.Path, null);
        }

        var createdAt = UnixMicros.From(_time.GetUtcNow());
        try
        {
            var writer = EnsureWriter();
            using var transaction = writer.BeginTransaction(deferred: false);
            _insert!.Transaction = transaction;
            _fence!.Transaction = transaction;
            _savepoint!.Transaction = transaction;
            _rollbackToSavepoint!.Transaction = transaction;
            _releaseSavepoint!.Transaction = transaction;
            foreach (var item in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteOne(item, createdAt);
            }

            transaction.Commit();
        }
        catch (SqliteException e) when (SqliteFaults.Classify(_connections.Path, e) is { } storeFault)
        {
            ResetWriter();
            _connections.Latch(storeFault);
            throw storeFault;
        }
        catch
        {
            // The connection's state is unknown after a failed transaction: start the next batch afresh.
            ResetWriter();
            throw;
        }

        if (_guard.FindLostFile() is { } lost)
        {
            var lostFault = SqliteFaults.Lost(_connections.Path, lost, TrySalvage());
            _connections.Latch(lostFault);
            throw lostFault;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Copies what the writer's open, unlinked <c>-wal</c> holds into the database file and resets the log, so that
    /// the commits acknowledged so far survive the loss of the file.
    /// </summary>
    /// <returns>Whether every frame was copied.</returns>
    private bool TrySalvage()
    {
        try
        {
            using var checkpoint = _writer!.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            using var reader = checkpoint.ExecuteReader();
            return reader.Read() && reader.GetInt64(0) == 0;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    protected override ValueTask DisposeCoreAsync()
    {
        ResetWriter();
        return ValueTask.CompletedTask;
    }

    private static JournalEvent ReadEvent(SqliteDataReader reader)
    {
        var persistenceId = reader.GetString(0);
        var sequenceNr = reader.GetInt64(1);
        var manifest = reader.GetString(2);
        var payload = reader.GetFieldValue<byte[]>(3);
        if (!JournalChecksum.Matches(reader.IsDBNull(8) ? null : reader.GetInt64(8), persistenceId, sequenceNr, manifest, payload))
        {
            throw new JournalCorruptedException(persistenceId, sequenceNr, manifest);
        }

        return new JournalEvent(
            persistenceId,
            sequenceNr,
            manifest,
            payload,
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetInt64(5),
            reader.GetInt64(6),
            UnixMicros.To(reader.GetInt64(7)));
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> payload) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(payload, out var segment)
        && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();

    private void WriteOne(JournalBatchItem item, long createdAt)
    {
        var write = item.Write;
        if (write.Fence is { } fence)
        {
            _fence!.Parameters[0].Value = fence.EntityId;
            using var reader = _fence.ExecuteReader();
            var found = reader.Read();
            var owner = found ? reader.GetString(0) : null;
            long? epoch = found ? reader.GetInt64(1) : null;
            if (!found || owner != fence.Writer || epoch != fence.Epoch)
            {
                item.Reject(new JournalFencedException(write.PersistenceId, fence, owner, epoch));
                return;
            }
        }

        // A single-row insert that fails rolls back by itself; several rows need a savepoint.
        var multiple = write.Events.Count > 1;
        if (multiple)
        {
            _savepoint!.ExecuteNonQuery();
        }

        try
        {
            var p = _insert!.Parameters;
            p[0].Value = write.PersistenceId;
            p[4].Value = (object?)write.Fence?.Writer ?? DBNull.Value;
            p[5].Value = write.Fence?.Epoch ?? 0L;
            p[6].Value = createdAt;
            foreach (var e in write.Events)
            {
                p[1].Value = e.SequenceNr;
                p[2].Value = e.Manifest;
                p[3].Value = AsArray(e.Payload);
                p[7].Value = JournalChecksum.Compute(write.PersistenceId, e.SequenceNr, e.Manifest, e.Payload.Span);
                _insert.ExecuteNonQuery();
            }
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey)
        {
            if (multiple)
            {
                _rollbackToSavepoint!.ExecuteNonQuery();
                _releaseSavepoint!.ExecuteNonQuery();
            }

            item.Reject(new JournalConcurrencyException(write.PersistenceId, write.LowestSequenceNr, write.HighestSequenceNr));
            return;
        }

        if (multiple)
        {
            _releaseSavepoint!.ExecuteNonQuery();
        }
    }

    private SqliteConnection EnsureWriter()
    {
        if (_writer is not null)
        {
            return _writer;
        }

        var writer = _connections.Open();
        _insert = writer.CreateCommand();
        _insert.CommandText =
            "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at, checksum) " +
            "VALUES ($pid, $seq, $manifest, $payload, $writer, $epoch, $created, $checksum)";
        _insert.Parameters.Add("$pid", SqliteType.Text);
        _insert.Parameters.Add("$seq", SqliteType.Integer);
        _insert.Parameters.Add("$manifest", SqliteType.Text);
        _insert.Parameters.Add("$payload", SqliteType.Blob);
        _insert.Parameters.Add("$writer", SqliteType.Text);
        _insert.Parameters.Add("$epoch", SqliteType.Integer);
        _insert.Parameters.Add("$created", SqliteType.Integer);
        _insert.Parameters.Add("$checksum", SqliteType.Integer);
        _fence = writer.CreateCommand();
        _fence.CommandText = "SELECT owner, epoch FROM leases WHERE entity_id = $entity";
        _fence.Parameters.Add("$entity", SqliteType.Text);
        _savepoint = writer.CreateCommand();
        _savepoint.CommandText = "SAVEPOINT append";
        _rollbackToSavepoint = writer.CreateCommand();
        _rollbackToSavepoint.CommandText = "ROLLBACK TO append";
        _releaseSavepoint = writer.CreateCommand();
        _releaseSavepoint.CommandText = "RELEASE append";
        _writer = writer;
        _guard.Reset();
        return writer;
    }

    private void ResetWriter()
    {
        _insert?.Dispose();
        _fence?.Dispose();
        _savepoint?.Dispose();
        _rollbackToSavepoint?.Dispose();
        _releaseSavepoint?.Dispose();
        _writer?.Dispose();
        _insert = _fence = _savepoint = _rollbackToSavepoint = _releaseSavepoint = null;
        _writer = null;
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<JournalEvent>> ReadEventPageAsync(
        string persistenceId, long fromSequenceNr, long toSequenceNr, int limit, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<JournalEvent>>(ReadPage(
            $"SELECT {_columns} FROM journal " +
            "WHERE persistence_id = $pid AND sequence_nr >= $from AND sequence_nr <= $to ORDER BY sequence_nr LIMIT $limit",
            c =>
            {
                c.Parameters.AddWithValue("$pid", persistenceId);
                c.Parameters.AddWithValue("$from", fromSequenceNr);
                c.Parameters.AddWithValue("$to", toSequenceNr);
                c.Parameters.AddWithValue("$limit", limit);
            }));

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<JournalEvent>> ReadOrderedPageAsync(long afterOrdering, int limit, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<JournalEvent>>(ReadPage(
            $"SELECT {_columns} FROM journal " +
            "WHERE ordering > $after ORDER BY ordering LIMIT $limit",
            c =>
            {
                c.Parameters.AddWithValue("$after", afterOrdering);
                c.Parameters.AddWithValue("$limit", limit);
            }));

    private List<JournalEvent> ReadPage(string sql, Action<SqliteCommand> bind) => _connections.Run(() =>
    {
        using var connection = _connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        using var reader = command.ExecuteReader();
        var page = new List<JournalEvent>();
        while (reader.Read())
        {
            page.Add(ReadEvent(reader));
        }

        return page;
    });
}
