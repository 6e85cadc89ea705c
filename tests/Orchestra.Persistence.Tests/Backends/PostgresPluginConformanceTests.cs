using Akka.Configuration;
using Npgsql;
using Orchestra.Testing;
using Orchestra.Persistence.Configuration;
using Orchestra.Persistence.Postgres;
using Orchestra.Persistence.Postgres.Plugin;
using Orchestra.Persistence.Tests.Conformance;
using Xunit.Abstractions;

namespace Orchestra.Persistence.Tests.Backends;

/// <summary>
/// The suite against the Orchestra PostgreSQL plugins, one schema per test on the server named by
/// ORCHESTRA_TEST_POSTGRES (skipped with a reason without it; with CI=true the tests run and fail instead).
/// </summary>
[Trait("Category", "Integration")]
[RequiresPostgres]
public sealed class PostgresPluginConformanceTests : PluginConformanceSpec
{
    private readonly PostgresTestSchema _schema;

    public PostgresPluginConformanceTests(ITestOutputHelper output)
        : this(new PostgresTestSchema(), output)
    {
    }

    private PostgresPluginConformanceTests(PostgresTestSchema schema, ITestOutputHelper output)
        : base(schema.Hocon, output)
    {
        _schema = schema;
    }

    protected override string? StoreKey => PostgresPluginSettings.StoreKey(_schema.Options);

    protected override async Task BreakJournalWritesAsync() => await (await OrchestraStoreAsync()).Persistence.DisposeAsync();

    protected override Task DropStoreAsync() => _schema.DropAsync();
}

/// <summary>A unique schema on the test server, and the plugin HOCON that names it.</summary>
internal sealed class PostgresTestSchema
{
    public const string Variable = RequiresPostgresAttribute.Variable;

    public PostgresTestSchema()
    {
        Options = new PostgresPersistenceOptions
        {
            ConnectionString = Environment.GetEnvironmentVariable(Variable) ?? string.Empty,
            Schema = "plugin_" + Guid.NewGuid().ToString("N"),
        };
    }

    public PostgresPersistenceOptions Options { get; }

    public Config Hocon => Options.ConnectionString.Length == 0
        ? throw new InvalidOperationException($"{Variable} is not set, and CI=true requires the PostgreSQL tests to run.")
        : PersistenceOptionsHocon.PluginPair(
            PostgresPluginSettings.DefaultPluginId, typeof(PostgresJournalPlugin), typeof(PostgresSnapshotStorePlugin), PostgresPluginSettings.Write(Options), isDefault: true);

    public async Task DropAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(Options.ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Options.Schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
