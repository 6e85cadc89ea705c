using Npgsql;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Postgres.Internal;

namespace Orchestra.Persistence.Postgres;

/// <summary>The <see cref="ILeaseStore"/> on PostgreSQL, in the same schema as the journal it fences.</summary>
/// <remarks>
/// Every operation is a single atomic statement. "Now" comes from <see cref="PersistenceOptions.TimeProvider"/>
/// and is passed into the SQL instead of <c>now()</c>, so the nodes' clocks must agree to well within the lease
/// TTL (see <see cref="ILeaseStore"/>). Obtain it from <see cref="PostgresPersistence"/>.
/// </remarks>
public sealed class PostgresLeaseStore : ILeaseStore
{
    private const string Columns = "entity_id, owner, epoch, expires_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _s;
    private readonly int _timeout;
    private readonly TimeProvider _time;

    internal PostgresLeaseStore(NpgsqlDataSource dataSource, PostgresPersistenceOptions options)
    {
        _dataSource = dataSource;
        _s = PostgresSchema.Quote(options.Schema);
        _timeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _time = options.TimeProvider;
    }

    /// <inheritdoc />
    public async ValueTask<Lease?> TryAcquireAsync(string entityId, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        var leases = await QueryAsync(
            $"""
            INSERT INTO {_s}.leases AS l (entity_id, owner, epoch, expires_at) VALUES ($1, $2, 1, $3)
            ON CONFLICT (entity_id) DO UPDATE SET
                epoch = CASE WHEN l.expires_at <= $4 THEN l.epoch + 1 ELSE l.epoch END,
                owner = excluded.owner,
                expires_at = excluded.expires_at
            WHERE l.owner = excluded.owner OR l.expires_at <= $4
            RETURNING {Columns}
            """,
            [entityId, owner, now + ttl, now],
            cancellationToken).ConfigureAwait(false);
        return leases.FirstOrDefault();
    }

    /// <inheritdoc />
    public async ValueTask<Lease?> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var leases = await QueryAsync(
            $"UPDATE {_s}.leases SET expires_at = $4 WHERE entity_id = $1 AND owner = $2 AND epoch = $3 RETURNING {Columns}",
            [lease.EntityId, lease.Owner, lease.Epoch, _time.GetUtcNow() + ttl],
            cancellationToken).ConfigureAwait(false);
        return leases.FirstOrDefault();
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var leases = await QueryAsync(
            $"UPDATE {_s}.leases SET expires_at = least(expires_at, $4) WHERE entity_id = $1 AND owner = $2 AND epoch = $3 RETURNING {Columns}",
            [lease.EntityId, lease.Owner, lease.Epoch, _time.GetUtcNow()],
            cancellationToken).ConfigureAwait(false);
        return leases.Count > 0;
    }

    /// <inheritdoc />
    public async ValueTask<Lease?> GetAsync(string entityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        var leases = await QueryAsync($"SELECT {Columns} FROM {_s}.leases WHERE entity_id = $1", [entityId], cancellationToken).ConfigureAwait(false);
        return leases.FirstOrDefault();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Lease>> ListAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var leases = await QueryAsync($"SELECT {Columns} FROM {_s}.leases WHERE entity_id >= $1 ORDER BY entity_id", [prefix ?? string.Empty], cancellationToken).ConfigureAwait(false);
        return prefix is null ? leases : leases.TakeWhile(l => l.EntityId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    private async Task<List<Lease>> QueryAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        var command = _dataSource.CreateCommand(sql);
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = _timeout;
        foreach (var p in parameters)
        {
            command.Parameters.AddWithValue(p);
        }

        var leases = new List<Lease>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new Lease(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return leases;
    }
}
