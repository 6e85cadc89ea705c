using BenchmarkDotNet.Attributes;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Npgsql;
using Orchestra.Persistence.Configuration;
using Orchestra.Persistence.Postgres.Plugin;

namespace Orchestra.Benchmarks.Persistence.AkkaPlugins;

/// <summary>
/// Durable events per second through real Akka persistent actors on PostgreSQL (the server named by
/// ORCHESTRA_TEST_POSTGRES), W actors each persisting one event at a time: <see cref="OrchestraPlugin"/> through
/// Orchestra's journal plugin (group commit, one round trip per batch), <see cref="AkkaPersistenceSql"/> through
/// Akka.Persistence.Sql 1.5.73 (linq2db, provider PostgreSQL.15); <see cref="RawBatchedInserts"/> is the ceiling of
/// <see cref="PostgresJournalAppendBenchmarks"/> (one multi-row insert per W rows).
/// Each journal gets its own schema, dropped at the end. Every invocation stores
/// <see cref="TotalEvents"/> events: events/s = TotalEvents / Mean.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessMonitoringConfig))]
public class AkkaPostgresJournalBenchmarks
{
    private const int MaxPoolSize = 20;

    private readonly PostgresJournalAppendBenchmarks _ceiling = new();
    private string _orchestraSchema = string.Empty;
    private string _akkaSqlSchema = string.Empty;
    private AkkaJournalRun? _orchestra;
    private AkkaJournalRun? _akkaSql;

    /// <summary>Persistent actors writing at once (and rows per raw transaction).</summary>
    [Params(1, 10, 100)]
    public int Writers { get; set; }

    /// <summary>Events per invocation.</summary>
    public int TotalEvents => Math.Max(500, Writers * 100);

    [GlobalSetup]
    public void Setup()
    {
        _ceiling.Writers = Writers;
        _ceiling.Setup();
        _orchestraSchema = PostgresBenchDatabase.NewSchema("bench_akka_orchestra");
        _akkaSqlSchema = PostgresBenchDatabase.NewSchema("bench_akka_sql");

        // Both plugins get the same, bounded pool: the server is shared, and 100 concurrent recoveries would
        // otherwise open up to 100 connections each.
        var options = PostgresBenchDatabase.Options(_orchestraSchema);
        options.ConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { MaxPoolSize = MaxPoolSize }.ConnectionString;
        var orchestra = PersistenceOptionsHocon.PluginPair("orchestra-postgres", typeof(PostgresJournalPlugin), typeof(PostgresSnapshotStorePlugin), PostgresPluginSettings.Write(options), isDefault: false)
            .WithFallback(ConfigurationFactory.ParseString("akka.persistence.journal.plugin = \"akka.persistence.journal.orchestra-postgres\""));
        _orchestra = new AkkaJournalRun("orchestra", orchestra, Writers);

        using (var dataSource = NpgsqlDataSource.Create(PostgresBenchDatabase.ConnectionString))
        using (var create = dataSource.CreateCommand($"CREATE SCHEMA \"{_akkaSqlSchema}\""))
        {
            create.ExecuteNonQuery();
        }

        // Search Path puts Akka.Persistence.Sql's tables in this run's schema.
        var akkaSqlConnection = new NpgsqlConnectionStringBuilder(PostgresBenchDatabase.ConnectionString) { SearchPath = _akkaSqlSchema, MaxPoolSize = MaxPoolSize }.ConnectionString;
        _akkaSql = new AkkaJournalRun("akkasql", ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              connection-string = "{{akkaSqlConnection}}"
              provider-name = "PostgreSQL.15"
              auto-initialize = on
            }
            """).WithFallback(SqlPersistence.DefaultConfiguration), Writers);

        _orchestra.RunAsync(1).GetAwaiter().GetResult();
        _akkaSql.RunAsync(1).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _orchestra?.Dispose();
        _akkaSql?.Dispose();
        _ceiling.Cleanup();
        NpgsqlConnection.ClearAllPools();
        PostgresBenchDatabase.DropSchemas(_orchestraSchema, _akkaSqlSchema);
    }

    [Benchmark(Baseline = true)]
    public void RawBatchedInserts() => _ceiling.RawBatchedInserts();

    [Benchmark]
    public Task OrchestraPlugin() => _orchestra!.RunAsync(TotalEvents / Writers);

    [Benchmark]
    public Task AkkaPersistenceSql() => _akkaSql!.RunAsync(TotalEvents / Writers);
}
