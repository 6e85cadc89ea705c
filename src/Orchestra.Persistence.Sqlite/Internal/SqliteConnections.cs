using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Orchestra.Persistence.Sqlite.Internal;

/// <summary>Opens configured connections to one database file.</summary>
internal sealed class SqliteConnections
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteConnections(SqlitePersistenceOptions options)
    {
        var timeoutSeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DataSource,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();

        // busy_timeout makes SQLite itself wait (in short sleeps) for another connection's write lock.
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(int)options.Synchronous}; PRAGMA foreign_keys = OFF;");
    }

    public string ConnectionString => _connectionString;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
