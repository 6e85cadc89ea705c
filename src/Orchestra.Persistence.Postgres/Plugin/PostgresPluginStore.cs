using Npgsql;
using Orchestra.Persistence.Postgres.Internal;

namespace Orchestra.Persistence.Postgres.Plugin;

/// <summary>The PostgreSQL store shared by the Orchestra journal and snapshot plugins of one actor system.</summary>
internal sealed class PostgresPluginStore : OrchestraPluginStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _s;
    private readonly int _timeout;

    private PostgresPluginStore(PostgresPersistence persistence, NpgsqlDataSource dataSource, PostgresPersistenceOptions options)
        : base(persistence)
    {
        _dataSource = dataSource;
        _s = PostgresSchema.Quote(options.Schema);
        _timeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
    }

    public static async Task<OrchestraPluginStore> OpenAsync(PostgresPersistenceOptions options)
    {
        var dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        try
        {
            var persistence = await PostgresPersistence.OpenAsync(options, dataSource).ConfigureAwait(false);
            return new PostgresPluginStore(persistence, dataSource, options);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async ValueTask DeleteSnapshotsAsync(
        string persistenceId,
        long minSequenceNr,
        long maxSequenceNr,
        DateTimeOffset? minTimestamp,
        DateTimeOffset? maxTimestamp,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        var command = _dataSource.CreateCommand(
            $"DELETE FROM {_s}.snapshots WHERE persistence_id = $1 AND sequence_nr BETWEEN $2 AND $3 " +
            "AND ($4::timestamptz IS NULL OR created_at >= $4) AND ($5::timestamptz IS NULL OR created_at <= $5)");
        await using var commandScope = command.ConfigureAwait(false);
        command.CommandTimeout = _timeout;
        command.Parameters.AddWithValue(persistenceId);
        command.Parameters.AddWithValue(minSequenceNr);
        command.Parameters.AddWithValue(maxSequenceNr);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = minTimestamp, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = maxTimestamp, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        await base.DisposeCoreAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
