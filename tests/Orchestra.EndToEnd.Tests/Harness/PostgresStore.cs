using Npgsql;
using Orchestra.Actors.TestKit.Persistence;

namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>
/// The PostgreSQL store for a test: a unique schema on the server named by ORCHESTRA_TEST_POSTGRES, handed to
/// <c>orchestra</c> the documented way (<c>ORCHESTRA__STORE__...</c> environment variables), dropped at the end.
/// </summary>
public sealed class PostgresStore : IAsyncDisposable
{
    public const string Variable = "ORCHESTRA_TEST_POSTGRES";

    /// <summary>The schema, unique per test so that parallel tests and helpers never meet.</summary>
    public string Schema { get; } = "e2e_" + Guid.NewGuid().ToString("N");

    public static string ConnectionString =>
        System.Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set, and CI=true requires the PostgreSQL tests to run.");

    /// <summary>The environment that points <c>orchestra</c> (any command, and <c>serve</c>) at this schema.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["ORCHESTRA__STORE__PROVIDER"] = "Postgres",
        ["ORCHESTRA__STORE__CONNECTIONSTRING"] = ConnectionString,
        ["ORCHESTRA__STORE__SCHEMA"] = Schema,
    };

    /// <summary>How many journal rows (persistence id <c>deployment-ID</c>) the deployment <paramref name="deploymentId"/> has in this schema.</summary>
    public async Task<long> JournalRowsAsync(string deploymentId)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM \"{Schema}\".journal WHERE persistence_id = 'deployment-' || $1");
        command.Parameters.AddWithValue(deploymentId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (System.Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 })
        {
            return;
        }

        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A fact that needs PostgreSQL: skipped with a reason when ORCHESTRA_TEST_POSTGRES is unset, and failing instead when CI=true.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = RequiresEnvironmentVariableAttribute.SkipReason(PostgresStore.Variable);
    }
}
