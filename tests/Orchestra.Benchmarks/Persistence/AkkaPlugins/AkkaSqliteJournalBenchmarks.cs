using BenchmarkDotNet.Attributes;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;
using Orchestra.Persistence.Configuration;
using Orchestra.Persistence.Sqlite;
using Orchestra.Persistence.Sqlite.Plugin;

namespace Orchestra.Benchmarks.Persistence.AkkaPlugins;

/// <summary>
/// Durable events per second through real Akka persistent actors on SQLite (WAL, synchronous=FULL), W actors each
/// persisting one event at a time: <see cref="OrchestraPlugin"/> through Orchestra's journal plugin (group commit),
/// <see cref="AkkaPersistenceSql"/> through Akka.Persistence.Sql 1.5.73 (linq2db, provider SQLite.MS) on a file
/// also switched to WAL; <see cref="RawBatchedInserts"/> is the ceiling of <see cref="JournalAppendBenchmarks"/>
/// (plain inserts of the same rows, one transaction per W rows).
/// Every invocation stores <see cref="TotalEvents"/> events: events/s = TotalEvents / Mean.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessMonitoringConfig))]
public class AkkaSqliteJournalBenchmarks
{
    private readonly JournalAppendBenchmarks _ceiling = new();
    private string _directory = string.Empty;
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
        _directory = Path.Combine(Path.GetTempPath(), "orchestra-akka-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);

        var options = new SqlitePersistenceOptions { DataSource = Path.Combine(_directory, "orchestra.db") };
        var orchestra = PersistenceOptionsHocon.PluginPair("orchestra-sqlite", typeof(SqliteJournalPlugin), typeof(SqliteSnapshotStorePlugin), SqlitePluginSettings.Write(options), isDefault: false)
            .WithFallback(ConfigurationFactory.ParseString("akka.persistence.journal.plugin = \"akka.persistence.journal.orchestra-sqlite\""));
        _orchestra = new AkkaJournalRun("orchestra", orchestra, Writers);

        var akkaSqlPath = Path.Combine(_directory, "akka-sql.db");
        using (var connection = new SqliteConnection($"Data Source={akkaSqlPath};Pooling=False"))
        {
            // WAL is a property of the file: the same journal mode as Orchestra's store, so only the plugin differs.
            connection.Open();
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        _akkaSql = new AkkaJournalRun("akkasql", ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.plugin = "akka.persistence.journal.sql"
            akka.persistence.journal.sql {
              connection-string = "Data Source={{akkaSqlPath}}"
              provider-name = "SQLite.MS"
              auto-initialize = on
            }
            """).WithFallback(SqlPersistence.DefaultConfiguration), Writers);

        // Recovery and the plugins' start-up (schema creation) happen here, not in the first measured invocation.
        _orchestra.RunAsync(1).GetAwaiter().GetResult();
        _akkaSql.RunAsync(1).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _orchestra?.Dispose();
        _akkaSql?.Dispose();
        _ceiling.Cleanup();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public void RawBatchedInserts() => _ceiling.RawBatchedInserts();

    [Benchmark]
    public Task OrchestraPlugin() => _orchestra!.RunAsync(TotalEvents / Writers);

    [Benchmark]
    public Task AkkaPersistenceSql() => _akkaSql!.RunAsync(TotalEvents / Writers);
}
