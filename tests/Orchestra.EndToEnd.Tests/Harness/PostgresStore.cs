using Npgsql;
using Orchestra.Testing;

namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>
/// The PostgreSQL store for a test: a unique schema on the server named by ORCHESTRA_TEST_POSTGRES, handed to
/// <c>orchestra</c> the documented way (<c>ORCHESTRA__STORE__...</c> environment variables), dropped at the end.
/// </summary>
public sealed class PostgresStore : IAsyncDisposable
{
    /// <summary>The schema, unique per test so that parallel tests and helpers never meet.</summary>
    public string Schema { get; } = "e2e_" + Guid.NewGuid().ToString("N");

    public static string ConnectionString => RequiresPostgresAttribute.ConnectionString;

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
        if (!RequiresEnvironmentVariableAttribute.IsSet(RequiresPostgresAttribute.Variable))
        {
            return;
        }

        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
