using Akka.Configuration;
using Orchestra.Persistence.Configuration;
using Orchestra.Persistence.Sqlite;
using Orchestra.Persistence.Sqlite.Plugin;
using Orchestra.Persistence.Tests.Conformance;
using Xunit.Abstractions;

namespace Orchestra.Persistence.Tests.Backends;

/// <summary>The suite against the Orchestra SQLite plugins, one temporary database file per test.</summary>
[Trait("Category", "Integration")]
public sealed class SqlitePluginConformanceTests : PluginConformanceSpec
{
    private readonly SqliteTestFile _file;

    public SqlitePluginConformanceTests(ITestOutputHelper output)
        : this(new SqliteTestFile(), output)
    {
    }

    private SqlitePluginConformanceTests(SqliteTestFile file, ITestOutputHelper output)
        : base(file.Hocon, output)
    {
        _file = file;
    }

    protected override string? StoreKey => SqlitePluginSettings.StoreKey(_file.Options);

    protected override async Task BreakJournalWritesAsync() => await (await OrchestraStoreAsync()).Persistence.DisposeAsync();

    protected override Task DropStoreAsync()
    {
        _file.Delete();
        return Task.CompletedTask;
    }
}

/// <summary>A database file under a fresh temporary directory, and the plugin HOCON that names it.</summary>
internal sealed class SqliteTestFile
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orchestra-plugin-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestFile()
    {
        Directory.CreateDirectory(_directory);
        Options = new SqlitePersistenceOptions { DataSource = Path.Combine(_directory, "orchestra.db") };
    }

    public SqlitePersistenceOptions Options { get; }

    public Config Hocon => PersistenceOptionsHocon.PluginPair(
        SqlitePluginSettings.DefaultPluginId, typeof(SqliteJournalPlugin), typeof(SqliteSnapshotStorePlugin), SqlitePluginSettings.Write(Options), isDefault: true);

    public void Delete()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file must not fail a test.
        }
    }
}
