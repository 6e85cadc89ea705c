using Microsoft.Data.Sqlite;
using Orchestra.Actors.Persistence;

namespace Orchestra.Persistence.Sqlite.Internal;

/// <summary>Turns the SQLite errors that mean "the store failed" into a <see cref="StoreFaultException"/> naming the file.</summary>
internal static class SqliteFaults
{
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADb = 26;

    // SQLITE_READONLY_DBMOVED: SQLite's own notice that the database file was renamed or deleted while open.
    private const int SqliteReadOnlyDbMoved = 1032;

    /// <summary>Whether opening for writing failed because the file, its folder or its medium cannot be written.</summary>
    public static bool IsReadOnly(SqliteException error) => error.SqliteErrorCode is SqliteReadOnly or SqliteCantOpen;

    /// <summary>The store fault an error means, or <see langword="null"/> for an error of one statement (a constraint, busy).</summary>
    public static StoreFaultException? Classify(string path, SqliteException error) => error.SqliteErrorCode switch
    {
        SqliteReadOnly when error.SqliteExtendedErrorCode == SqliteReadOnlyDbMoved => Lost(path, path, salvaged: false),
        SqliteReadOnly => ReadOnly(path, error),
        SqliteFull => new StoreFaultException(path, StoreFaultKind.Full,
            $"the store '{path}' is full: no space is left on its device (or the file reached its size limit); it accepts no more writes", error),
        SqliteCorrupt or SqliteNotADb => new StoreFaultException(path, StoreFaultKind.Corrupt,
            $"the store '{path}' is corrupt ({Describe(error)}); it accepts no more writes", error),
        SqliteIoErr or SqliteCantOpen => new StoreFaultException(path, StoreFaultKind.Io,
            $"the store '{path}' failed with an I/O error ({Describe(error)}); it accepts no more writes, and what it acknowledged last may not be durable", error),
        _ => null,
    };

    public static StoreFaultException ReadOnly(string path, Exception? error) => new(path, StoreFaultKind.ReadOnly,
        $"the store '{path}' is read-only (its file, folder or medium cannot be written): it can be read, not changed", error);

    public static StoreFaultException Lost(string path, string file, bool salvaged) => new(path, StoreFaultKind.Lost,
        $"the store '{path}' lost '{Path.GetFileName(file)}': the file was deleted or replaced while Orchestra had it open, so writes " +
        (salvaged
            ? "since the last checkpoint were copied back into the database file; the store accepts no more writes from this process"
            : "since the last checkpoint may be lost; the store accepts no more writes"));

    private static string Describe(SqliteException error) =>
        error.SqliteExtendedErrorCode == error.SqliteErrorCode
            ? $"SQLite error {error.SqliteErrorCode}"
            : $"SQLite error {error.SqliteErrorCode}, extended {error.SqliteExtendedErrorCode}";
}
