using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Postgres.Internal;

namespace Orchestra.Persistence.Postgres;

/// <summary>
/// The <see cref="IJournal"/> on PostgreSQL: appends of all actors are group-committed, one transaction per batch.
/// </summary>
/// <remarks>
/// <para>A batch is three round trips whatever its size:</para>
/// <list type="number">
/// <item><description>take the journal's transaction-scoped advisory lock, read the lease rows of the fenced appends
/// <c>FOR SHARE</c> (a concurrent takeover waits until the batch commits), and look up which (persistence id,
/// sequence number) pairs already exist;</description></item>
/// <item><description>reject the appends whose fence is stale or whose sequence numbers exist (or are claimed by an
/// earlier append of the same batch), and insert all the others with one <c>INSERT ... SELECT FROM unnest(...)</c>;</description></item>
/// <item><description>commit.</description></item>
/// </list>
/// <para>
/// A rejected append therefore never aborts the transaction of the others (no savepoints needed). The advisory lock
/// serializes journal writers across processes sharing the schema, which makes (1) exact and makes the global
/// <c>ordering</c> commit in increasing order, so a live query that resumes after the last ordering it saw misses
/// nothing. Throughput comes from batching within each process. Obtain it from <see cref="PostgresPersistence"/>.
/// </para>
/// </remarks>
public sealed class PostgresJournal : GroupCommitJournal
{
    private const string Columns = "persistence_id, sequence_nr, manifest, payload, writer, epoch, ordering, created_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _s;
    private readonly string _lockKey;
    private readonly int _commandTimeoutSeconds;
    private readonly TimeProvider _time;

    internal PostgresJournal(NpgsqlDataSource dataSource, PostgresPersistenceOptions options, ILogger? logger)
        : base(options, logger)
    {
        _dataSource = dataSource;
        _s = PostgresSchema.Quote(options.Schema);
        _lockKey = "orchestra-journal:" + options.Schema;
        _commandTimeoutSeconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _time = options.TimeProvider;
    }

    /// <inheritdoc />
    public override async ValueTask<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        var command = _dataSource.CreateCommand(
            $"SELECT greatest(coalesce((SELECT max(sequence_nr) FROM {_s}.journal WHERE persistence_id = $1), 0), " +
            $"coalesce((SELECT deleted_to FROM {_s}.journal_deletions WHERE persistence_id = $1), 0))");
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = _commandTimeoutSeconds;
        command.Parameters.AddWithValue(persistenceId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public override async ValueTask DeleteEventsToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        var command = new NpgsqlCommand(
            $"""
            INSERT INTO {_s}.journal_deletions (persistence_id, deleted_to)
            SELECT $1, max(sequence_nr) FROM {_s}.journal WHERE persistence_id = $1 AND sequence_nr <= $2 HAVING count(*) > 0
            ON CONFLICT (persistence_id) DO UPDATE SET deleted_to = greatest({_s}.journal_deletions.deleted_to, excluded.deleted_to);
            """,
            connection,
            transaction);
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = _commandTimeoutSeconds;
        command.Parameters.AddWithValue(persistenceId);
        command.Parameters.AddWithValue(toSequenceNr);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.CommandText = $"DELETE FROM {_s}.journal WHERE persistence_id = $1 AND sequence_nr <= $2";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ReadPersistenceIdsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var command = _dataSource.CreateCommand(
            $"SELECT persistence_id FROM (SELECT DISTINCT persistence_id FROM {_s}.journal WHERE persistence_id >= $1 " +
            $"UNION SELECT persistence_id FROM {_s}.journal_deletions WHERE persistence_id >= $1) ids ORDER BY persistence_id");
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = _commandTimeoutSeconds;
        command.Parameters.AddWithValue(prefix ?? string.Empty);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            if (prefix is not null && !id.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield break;
            }

            yield return id;
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteBatchAsync(IReadOnlyList<JournalBatchItem> batch, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);

        var (leases, existing) = await LockAndCheckAsync(connection, transaction, batch, cancellationToken).ConfigureAwait(false);

        var claimed = new HashSet<(string, long)>(existing);
        var accepted = new List<JournalBatchItem>(batch.Count);
        foreach (var item in batch)
        {
            var write = item.Write;
            if (write.Fence is { } fence)
            {
                var found = leases.TryGetValue(fence.EntityId, out var lease);
                if (!found || lease.Owner != fence.Writer || lease.Epoch != fence.Epoch)
                {
                    item.Reject(new JournalFencedException(write.PersistenceId, fence, found ? lease.Owner : null, found ? lease.Epoch : null));
                    continue;
                }
            }

            if (write.Events.Any(e => claimed.Contains((write.PersistenceId, e.SequenceNr))))
            {
                item.Reject(new JournalConcurrencyException(write.PersistenceId, write.LowestSequenceNr, write.HighestSequenceNr));
                continue;
            }

            foreach (var e in write.Events)
            {
                claimed.Add((write.PersistenceId, e.SequenceNr));
            }

            accepted.Add(item);
        }

        if (accepted.Count > 0)
        {
            await InsertAsync(connection, transaction, accepted, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(Dictionary<string, (string Owner, long Epoch)> Leases, List<(string, long)> Existing)> LockAndCheckAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<JournalBatchItem> batch, CancellationToken cancellationToken)
    {
        var fencedEntities = batch.Where(i => i.Write.Fence is not null).Select(i => i.Write.Fence!.EntityId).Distinct(StringComparer.Ordinal).ToArray();
        var pids = new List<string>();
        var seqs = new List<long>();
        foreach (var item in batch)
        {
            foreach (var e in item.Write.Events)
            {
                pids.Add(item.Write.PersistenceId);
                seqs.Add(e.SequenceNr);
            }
        }

        var check = new NpgsqlBatch(connection, transaction) { Timeout = _commandTimeoutSeconds };
        await using var checkScope = check.ConfigureAwait(false);
        check.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext($1))") { Parameters = { new() { Value = _lockKey } } });
        check.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT entity_id, owner, epoch FROM {_s}.leases WHERE entity_id = ANY($1) FOR SHARE")
        {
            Parameters = { new() { Value = fencedEntities, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text } },
        });
        check.BatchCommands.Add(new NpgsqlBatchCommand(
            $"SELECT j.persistence_id, j.sequence_nr FROM {_s}.journal j JOIN unnest($1::text[], $2::bigint[]) AS w(pid, seq) " +
            "ON j.persistence_id = w.pid AND j.sequence_nr = w.seq")
        {
            Parameters = { new() { Value = pids.ToArray() }, new() { Value = seqs.ToArray() } },
        });

        var leases = new Dictionary<string, (string Owner, long Epoch)>(StringComparer.Ordinal);
        var existing = new List<(string, long)>();
        var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases[reader.GetString(0)] = (reader.GetString(1), reader.GetInt64(2));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            existing.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return (leases, existing);
    }

    private async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<JournalBatchItem> accepted, CancellationToken cancellationToken)
    {
        var count = accepted.Sum(i => i.Write.Events.Count);
        var pids = new string[count];
        var seqs = new long[count];
        var manifests = new string[count];
        var payloads = new byte[count][];
        var writers = new string?[count];
        var epochs = new long[count];
        var n = 0;
        foreach (var item in accepted)
        {
            foreach (var e in item.Write.Events)
            {
                pids[n] = item.Write.PersistenceId;
                seqs[n] = e.SequenceNr;
                manifests[n] = e.Manifest;
                payloads[n] = e.Payload.ToArray();
                writers[n] = item.Write.Fence?.Writer;
                epochs[n] = item.Write.Fence?.Epoch ?? 0;
                n++;
            }
        }

        var insert = new NpgsqlCommand(
            $"""
            INSERT INTO {_s}.journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at)
            SELECT w.pid, w.seq, w.manifest, w.payload, w.writer, w.epoch, $7
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::text[], $6::bigint[]) WITH ORDINALITY
                AS w(pid, seq, manifest, payload, writer, epoch, n)
            ORDER BY w.n
            """,
            connection,
            transaction);
        await using var insertScope = insert.ConfigureAwait(false);
        insert.CommandTimeout = _commandTimeoutSeconds;
        insert.Parameters.AddWithValue(pids);
        insert.Parameters.AddWithValue(seqs);
        insert.Parameters.AddWithValue(manifests);
        insert.Parameters.AddWithValue(payloads);
        insert.Parameters.Add(new NpgsqlParameter { Value = writers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.AddWithValue(epochs);
        insert.Parameters.AddWithValue(_time.GetUtcNow());

        // Under the advisory lock nobody else inserts, so the pre-check was exact; a unique violation here means a
        // writer that bypasses the lock, and failing the whole batch (outcome: not stored) is the safe answer.
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<JournalEvent>> ReadEventPageAsync(
        string persistenceId, long fromSequenceNr, long toSequenceNr, int limit, CancellationToken cancellationToken) =>
        await ReadPageAsync(
            $"SELECT {Columns} FROM {_s}.journal WHERE persistence_id = $1 AND sequence_nr >= $2 AND sequence_nr <= $3 ORDER BY sequence_nr LIMIT $4",
            [persistenceId, fromSequenceNr, toSequenceNr, limit],
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<JournalEvent>> ReadOrderedPageAsync(long afterOrdering, int limit, CancellationToken cancellationToken) =>
        await ReadPageAsync(
            $"SELECT {Columns} FROM {_s}.journal WHERE ordering > $1 ORDER BY ordering LIMIT $2",
            [afterOrdering, limit],
            cancellationToken).ConfigureAwait(false);

    private async Task<List<JournalEvent>> ReadPageAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        var command = _dataSource.CreateCommand(sql);
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = _commandTimeoutSeconds;
        foreach (var p in parameters)
        {
            command.Parameters.AddWithValue(p);
        }

        var page = new List<JournalEvent>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new JournalEvent(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetFieldValue<byte[]>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt64(5),
                reader.GetInt64(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return page;
    }
}
