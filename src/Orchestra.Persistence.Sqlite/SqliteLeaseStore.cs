using Microsoft.Data.Sqlite;
using Orchestra.Actors.Persistence;
using Orchestra.Persistence.Sqlite.Internal;

namespace Orchestra.Persistence.Sqlite;

/// <summary>The <see cref="ILeaseStore"/> on SQLite, in the same file as the journal it fences.</summary>
/// <remarks>
/// "Now" comes from <see cref="PersistenceOptions.TimeProvider"/> and is passed into the SQL (see the clock
/// remarks of <see cref="ILeaseStore"/>). Each operation is one <c>BEGIN IMMEDIATE</c> transaction. Obtain it
/// from <see cref="SqlitePersistence"/>.
/// </remarks>
public sealed class SqliteLeaseStore : ILeaseStore
{
    private const string Columns = "entity_id, owner, epoch, expires_at";

    private readonly SqliteConnections _connections;
    private readonly TimeProvider _time;

    internal SqliteLeaseStore(SqliteConnections connections, TimeProvider time)
    {
        _connections = connections;
        _time = time;
    }

    /// <inheritdoc />
    public ValueTask<Lease?> TryAcquireAsync(string entityId, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        return ValueTask.FromResult(Write(
            $"""
            INSERT INTO leases (entity_id, owner, epoch, expires_at) VALUES ($entity, $owner, 1, $expires)
            ON CONFLICT (entity_id) DO UPDATE SET
                epoch = CASE WHEN leases.expires_at <= $now THEN leases.epoch + 1 ELSE leases.epoch END,
                owner = excluded.owner,
                expires_at = excluded.expires_at
            WHERE leases.owner = excluded.owner OR leases.expires_at <= $now
            RETURNING {Columns}
            """,
            c =>
            {
                c.Parameters.AddWithValue("$entity", entityId);
                c.Parameters.AddWithValue("$owner", owner);
                c.Parameters.AddWithValue("$expires", UnixMicros.From(now + ttl));
                c.Parameters.AddWithValue("$now", UnixMicros.From(now));
            }));
    }

    /// <inheritdoc />
    public ValueTask<Lease?> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        return ValueTask.FromResult(Write(
            $"UPDATE leases SET expires_at = $expires WHERE entity_id = $entity AND owner = $owner AND epoch = $epoch RETURNING {Columns}",
            c =>
            {
                c.Parameters.AddWithValue("$entity", lease.EntityId);
                c.Parameters.AddWithValue("$owner", lease.Owner);
                c.Parameters.AddWithValue("$epoch", lease.Epoch);
                c.Parameters.AddWithValue("$expires", UnixMicros.From(now + ttl));
            }));
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        return ValueTask.FromResult(Write(
            $"UPDATE leases SET expires_at = min(expires_at, $now) WHERE entity_id = $entity AND owner = $owner AND epoch = $epoch RETURNING {Columns}",
            c =>
            {
                c.Parameters.AddWithValue("$entity", lease.EntityId);
                c.Parameters.AddWithValue("$owner", lease.Owner);
                c.Parameters.AddWithValue("$epoch", lease.Epoch);
                c.Parameters.AddWithValue("$now", UnixMicros.From(now));
            }) is not null);
    }

    /// <inheritdoc />
    public ValueTask<Lease?> GetAsync(string entityId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_connections.Run(() =>
        {
            using var connection = _connections.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM leases WHERE entity_id = $entity";
            command.Parameters.AddWithValue("$entity", entityId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadLease(reader) : null;
        }));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Lease>> ListAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_connections.Run(() => List(prefix)));
    }

    private IReadOnlyList<Lease> List(string? prefix)
    {
        using var connection = _connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM leases WHERE entity_id >= $prefix ORDER BY entity_id";
        command.Parameters.AddWithValue("$prefix", prefix ?? string.Empty);
        using var reader = command.ExecuteReader();
        var leases = new List<Lease>();
        while (reader.Read())
        {
            var lease = ReadLease(reader);
            if (prefix is not null && !lease.EntityId.StartsWith(prefix, StringComparison.Ordinal))
            {
                break;
            }

            leases.Add(lease);
        }

        return leases;
    }

    private static Lease ReadLease(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), UnixMicros.To(reader.GetInt64(3)));

    private Lease? Write(string sql, Action<SqliteCommand> bind) => _connections.Write(() =>
    {
        using var connection = _connections.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        bind(command);
        Lease? result = null;
        using (var reader = command.ExecuteReader())
        {
            if (reader.Read())
            {
                result = ReadLease(reader);
            }
        }

        transaction.Commit();
        return result;
    });
}
