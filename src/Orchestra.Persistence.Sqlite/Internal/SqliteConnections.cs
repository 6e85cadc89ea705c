using System.Globalization;
using Microsoft.Data.Sqlite;
using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence.Sqlite.Internal;

/// <summary>Opens configured connections to one database file, and remembers when the file failed.</summary>
/// <remarks>
/// A storage error on any connection (I/O, corrupt, full, read-only: see <see cref="SqliteFaults"/>) is latched here:
/// the journal's writer sees it before its next batch and stops, so an error a reader or the lease store met is
/// never followed by writes reported as durable.
/// </remarks>
internal sealed class SqliteConnections
{
    private readonly string _connectionString;
    private readonly string _pragmas;
    private StoreFaultException? _fault;

    public SqliteConnections(SqlitePersistenceOptions options, bool readOnly = false)
    {
        Path = System.IO.Path.GetFullPath(options.DataSource);
        ReadOnly = readOnly;
        var timeoutSeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        _connectionString = new SqliteConnectionStringBuilder
        {
            // A read-only medium cannot hold the -shm a WAL reader needs: a store closed cleanly has no -wal, so its
            // main file is all there is, and SQLite may read it as immutable (no locks, no -shm).
            DataSource = readOnly && !File.Exists(Path + "-wal") ? new Uri(Path).AbsoluteUri + "?immutable=1" : Path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();

        // busy_timeout makes SQLite itself wait (in short sleeps) for another connection's write lock.
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(int)options.Synchronous}; PRAGMA foreign_keys = OFF;");
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Whether the store was opened read-only (every write fails with a read-only <see cref="StoreFaultException"/>).</summary>
    public bool ReadOnly { get; }

    /// <summary>The fault latched by any connection, or <see langword="null"/>.</summary>
    public StoreFaultException? Fault => Volatile.Read(ref _fault);

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

    /// <summary>Runs a store operation, turning a storage error into a latched <see cref="StoreFaultException"/>.</summary>
    public T Run<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (SqliteException e) when (SqliteFaults.Classify(Path, e) is { } fault)
        {
            Latch(fault);
            throw fault;
        }
    }

    /// <summary>Runs a store operation that writes: refused at once on a read-only store.</summary>
    public T Write<T>(Func<T> body)
    {
        if (ReadOnly)
        {
            throw SqliteFaults.ReadOnly(Path, null);
        }

        return Run(body);
    }

    /// <summary>Records <paramref name="fault"/> unless one is already recorded (the first one stays).</summary>
    public void Latch(StoreFaultException fault) => Interlocked.CompareExchange(ref _fault, fault, null);

    public void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
