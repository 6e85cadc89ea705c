using Npgsql;
using NpgsqlTypes;
using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence.Postgres;

/// <summary>The write path: group commit in one round trip, or in three when an append must be rejected.</summary>
public sealed partial class PostgresJournal
{
    private const string JournalSequenceConstraint = "journal_persistence_id_sequence_nr";

    /// <inheritdoc />
    protected override async ValueTask WriteBatchAsync(IReadOnlyList<JournalBatchItem> batch, CancellationToken cancellationToken)
    {
        if (!await TryWriteAllAsync(batch, cancellationToken).ConfigureAwait(false))
        {
            await WriteCheckedAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores every append of the batch in one round trip, or nothing: one implicit transaction (a pipelined batch
    /// ends with a single Sync) takes the advisory lock, locks the fencing leases <c>FOR SHARE</c> and inserts all rows
    /// only if no fence is stale; the unique index refuses an existing (persistence id, sequence number), which rolls
    /// the whole transaction back.
    /// </summary>
    /// <returns><see langword="true"/> if all appends were committed; <see langword="false"/> if none was stored
    /// because at least one must be rejected, so the caller redoes the batch with per-append verdicts.</returns>
    private async ValueTask<bool> TryWriteAllAsync(IReadOnlyList<JournalBatchItem> batch, CancellationToken cancellationToken)
    {
        var fences = batch.Where(i => i.Write.Fence is not null).Select(i => i.Write.Fence!).ToArray();
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var write = new NpgsqlBatch(connection) { Timeout = _commandTimeoutSeconds };
        await using var writeScope = write.ConfigureAwait(false);
        write.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext($1))") { Parameters = { new() { Value = _lockKey } } });
        if (fences.Length > 0)
        {
            write.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT 1 FROM {_s}.leases WHERE entity_id = ANY($1) FOR SHARE")
            {
                Parameters = { new() { Value = fences.Select(f => f.EntityId).Distinct(StringComparer.Ordinal).ToArray() } },
            });
        }

        // Read after the FOR SHARE statement (a new snapshot in READ COMMITTED), the leases are the locked versions.
        var insert = new NpgsqlBatchCommand(
            $"""
            INSERT INTO {_s}.journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at, checksum)
            SELECT w.pid, w.seq, w.manifest, w.payload, w.writer, w.epoch, $7, w.checksum
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::text[], $6::bigint[], $11::bigint[]) WITH ORDINALITY
                AS w(pid, seq, manifest, payload, writer, epoch, checksum, n)
            WHERE NOT EXISTS (
                SELECT 1 FROM unnest($8::text[], $9::text[], $10::bigint[]) AS f(entity_id, owner, epoch)
                LEFT JOIN {_s}.leases l ON l.entity_id = f.entity_id
                WHERE l.entity_id IS NULL OR l.owner <> f.owner OR l.epoch <> f.epoch)
            ORDER BY w.n
            """);
        var (rows, checksums) = AddRowParameters(insert.Parameters, batch);
        insert.Parameters.Add(new() { Value = fences.Select(f => f.EntityId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = fences.Select(f => f.Writer).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = fences.Select(f => f.Epoch).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        insert.Parameters.Add(checksums);
        write.BatchCommands.Add(insert);

        try
        {
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == JournalSequenceConstraint)
        {
            return false;
        }

        return insert.RecordsAffected switch
        {
            0 => false,
            var inserted when inserted == rows => true,
            var inserted => throw new InvalidOperationException($"The journal stored {inserted} of the batch's {rows} events, where it stores all or none."),
        };
    }

    /// <summary>
    /// Three round trips with a verdict per append: lock and read the leases and the existing sequence numbers, then
    /// insert the appends that pass, then commit. A rejected append never aborts the transaction of the others.
    /// </summary>
    private async ValueTask WriteCheckedAsync(IReadOnlyList<JournalBatchItem> batch, CancellationToken cancellationToken)
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
        var insert = new NpgsqlCommand(
            $"""
            INSERT INTO {_s}.journal (persistence_id, sequence_nr, manifest, payload, writer, epoch, created_at, checksum)
            SELECT w.pid, w.seq, w.manifest, w.payload, w.writer, w.epoch, $7, w.checksum
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::text[], $6::bigint[], $8::bigint[]) WITH ORDINALITY
                AS w(pid, seq, manifest, payload, writer, epoch, checksum, n)
            ORDER BY w.n
            """,
            connection,
            transaction);
        await using var insertScope = insert.ConfigureAwait(false);
        insert.CommandTimeout = _commandTimeoutSeconds;
        insert.Parameters.Add(AddRowParameters(insert.Parameters, accepted).Checksums);

        // Under the advisory lock nobody else inserts, so the pre-check was exact; a unique violation here means a
        // writer that bypasses the lock, and failing the whole batch (outcome: not stored) is the safe answer.
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds $1 to $7 of the inserts: one array element per event, in batch order, and the time.</summary>
    /// <returns>The number of events, and the checksums' parameter, which each insert places after its own.</returns>
    private (int Rows, NpgsqlParameter Checksums) AddRowParameters(NpgsqlParameterCollection parameters, IReadOnlyList<JournalBatchItem> items)
    {
        var count = items.Sum(i => i.Write.Events.Count);
        var pids = new string[count];
        var seqs = new long[count];
        var manifests = new string[count];
        var payloads = new byte[count][];
        var writers = new string?[count];
        var epochs = new long[count];
        var checksums = new long[count];
        var n = 0;
        foreach (var item in items)
        {
            foreach (var e in item.Write.Events)
            {
                pids[n] = item.Write.PersistenceId;
                seqs[n] = e.SequenceNr;
                manifests[n] = e.Manifest;
                payloads[n] = e.Payload.ToArray();
                writers[n] = item.Write.Fence?.Writer;
                epochs[n] = item.Write.Fence?.Epoch ?? 0;
                checksums[n] = JournalChecksum.Compute(item.Write.PersistenceId, e.SequenceNr, e.Manifest, e.Payload.Span);
                n++;
            }
        }

        parameters.Add(new() { Value = pids });
        parameters.Add(new() { Value = seqs });
        parameters.Add(new() { Value = manifests });
        parameters.Add(new() { Value = payloads });
        parameters.Add(new() { Value = writers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new() { Value = epochs });
        parameters.Add(new() { Value = _time.GetUtcNow() });
        return (count, new NpgsqlParameter { Value = checksums });
    }
}
