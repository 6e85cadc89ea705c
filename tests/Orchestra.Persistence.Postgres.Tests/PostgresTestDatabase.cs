using Npgsql;
using Orchestra.Actors.TestKit.Persistence;

namespace Orchestra.Persistence.Postgres.Tests;

/// <summary>A unique schema on the server named by ORCHESTRA_TEST_POSTGRES, dropped at the end.</summary>
internal sealed class PostgresTestDatabase
{
    public const string Variable = "ORCHESTRA_TEST_POSTGRES";

    public string Schema { get; } = "t_" + Guid.NewGuid().ToString("N");

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set, and CI=true requires the PostgreSQL tests to run.");

    public PostgresPersistenceOptions Options(TimeProvider? clock = null) => new()
    {
        ConnectionString = ConnectionString,
        Schema = Schema,
        TimeProvider = clock ?? TimeProvider.System,
    };

    public async ValueTask DropAsync()
    {
        if (RequiresEnvironmentVariableAttribute.SkipReason(Variable) is not null)
        {
            return;
        }

        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A fact that needs PostgreSQL: skipped with a reason when ORCHESTRA_TEST_POSTGRES is unset, unless CI=true.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = RequiresEnvironmentVariableAttribute.SkipReason(PostgresTestDatabase.Variable);
    }
}
