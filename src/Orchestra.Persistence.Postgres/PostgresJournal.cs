using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Postgres.Internal;

namespace Orchestra.Persistence.Postgres;

/// <summary>
/// The <see cref="IJournal"/> on PostgreSQL: appends of all actors are group-committed, one transaction per batch.
/// </summary>
/// <remarks>
/// <para>
/// A batch is normally ONE round trip: a pipelined batch of statements that PostgreSQL runs as one implicit
/// transaction (it ends with a single Sync). It takes the journal's transaction-scoped advisory lock, reads the lease
/// rows of the fenced appends <c>FOR SHARE</c> (a concurrent takeover waits until the batch commits), and inserts
/// every event with one <c>INSERT ... SELECT FROM unnest(...)</c> whose condition, checked against those locked lease
/// rows, is that no fence is stale. A sequence number that already exists (or is used twice in the batch) violates the
/// unique index, which rolls the whole transaction back.
/// </para>
/// <para>
/// When that stored nothing (a stale fence or a sequence conflict), the batch is redone in three round trips that give
/// each append its own verdict: take the lock, read the leases <c>FOR SHARE</c> and the (persistence id, sequence
/// number) pairs that already exist; reject the appends whose fence is stale or whose sequence numbers exist (or are
/// claimed by an earlier append of the same batch) and insert all the others; commit. A rejected append therefore
/// never fails the others; it costs its batch one more round trip, and the server logs the unique violation.
/// </para>
/// <para>
/// The advisory lock serializes journal writers across processes sharing the schema, which makes the checks exact
/// and makes the global <c>ordering</c> commit in increasing order, so a live query that resumes after the last
/// ordering it saw misses nothing. Throughput comes from batching within each process. Obtain it from
/// <see cref="PostgresPersistence"/>.
/// </para>
/// <para>
/// Every row carries a <see cref="JournalChecksum"/>, verified on every read: a row changed after it was written throws
/// <see cref="JournalCorruptedException"/> (rows written before checksums are read unverified).
/// </para>
/// </remarks>
public sealed partial class PostgresJournal : GroupCommitJournal
{
    private const string Columns = "persistence_id, sequence_nr, manifest, payload, writer, epoch, ordering, created_at, checksum";

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
            var (persistenceId, sequenceNr, manifest, payload) = (reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3));
            if (!JournalChecksum.Matches(reader.IsDBNull(8) ? null : reader.GetInt64(8), persistenceId, sequenceNr, manifest, payload))
            {
                throw new JournalCorruptedException(persistenceId, sequenceNr, manifest);
            }

            page.Add(new JournalEvent(
                persistenceId,
                sequenceNr,
                manifest,
                payload,
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt64(5),
                reader.GetInt64(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return page;
    }
}
