using Npgsql;
using Orchestra.Testing;

namespace Orchestra.Persistence.Postgres.Tests;

/// <summary>A unique schema on the server named by ORCHESTRA_TEST_POSTGRES, dropped at the end.</summary>
internal sealed class PostgresTestDatabase
{
    public string Schema { get; } = "t_" + Guid.NewGuid().ToString("N");

    public static string ConnectionString => RequiresPostgresAttribute.ConnectionString;

    public PostgresPersistenceOptions Options(TimeProvider? clock = null) => new()
    {
        ConnectionString = ConnectionString,
        Schema = Schema,
        TimeProvider = clock ?? TimeProvider.System,
    };

    public async ValueTask DropAsync()
    {
        if (!RequiresEnvironmentVariableAttribute.IsSet(RequiresPostgresAttribute.Variable))
        {
            return;
        }

        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
