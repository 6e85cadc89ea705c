namespace Orchestra.Persistence.Sqlite.Tests;

/// <summary>A unique database file path under the temp directory, deleted (with its WAL files) at the end.</summary>
internal sealed class SqliteTestDatabase
{
    public SqliteTestDatabase()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orchestra-sqlite-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "orchestra.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public SqlitePersistenceOptions Options(TimeProvider? clock = null) => new()
    {
        DataSource = Path,
        TimeProvider = clock ?? TimeProvider.System,
    };

    public void Delete()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp file must not fail a test.
        }
    }
}
