using Npgsql;
using Orchestra.Persistence.Postgres;

namespace Orchestra.Benchmarks.Persistence;

/// <summary>
/// The PostgreSQL server named by ORCHESTRA_TEST_POSTGRES, and schemas unique to one benchmark run (dropped at the
/// end), so that runs and other helpers' tests never share a table.
/// </summary>
internal static class PostgresBenchDatabase
{
    public const string Variable = "ORCHESTRA_TEST_POSTGRES";

    /// <summary>The event every benchmark appends: the shape of a task outcome, 72 bytes of JSON.</summary>
    public static readonly byte[] Payload = "{\"taskId\":\"deploy-web/create\",\"attempt\":1,\"outputs\":{\"ip\":\"10.0.0.7\"}}"u8.ToArray();

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Set {Variable} to an Npgsql connection string (e.g. Host=127.0.0.1;Port=55433;Username=postgres;Database=orchestra_test).");

    public static string NewSchema(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N");

    public static PostgresPersistenceOptions Options(string schema) => new() { ConnectionString = ConnectionString, Schema = schema };

    /// <summary>Creates the journal's tables and indexes in <paramref name="schema"/> without keeping a store open.</summary>
    public static void CreateSchema(string schema) =>
        PostgresPersistence.OpenAsync(Options(schema)).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();

    public static void DropSchemas(params string[] schemas)
    {
        using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        foreach (var schema in schemas)
        {
            using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            command.ExecuteNonQuery();
        }
    }
}
