namespace Orchestra.Persistence.Sqlite.Internal;

/// <summary>
/// Notices that the database file or its <c>-wal</c> was deleted or replaced while this process has it open.
/// </summary>
/// <remarks>
/// SQLite keeps writing to the file descriptor it opened: after <c>rm orchestra.db-wal</c> every commit goes to an
/// unlinked file that vanishes when the process exits, while commits report success and the next process finds an
/// empty store. The kernel names such a descriptor <c>PATH (deleted)</c> under <c>/proc/self/fd</c>; the guard
/// remembers which descriptors point at the store's files and reads their links (one <c>readlink</c> each) after every
/// commit, scanning all descriptors again only when one of them changed. Where <c>/proc/self/fd</c> does not exist
/// (not Linux) it finds nothing. Used by the writer loop only: not thread-safe.
/// </remarks>
internal sealed class SqliteFileGuard
{
    private const string FdDirectory = "/proc/self/fd";
    private const string DeletedSuffix = " (deleted)";

    private readonly string[] _files;
    private readonly bool _supported = Directory.Exists(FdDirectory);
    private List<string> _descriptors = [];

    public SqliteFileGuard(string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        _files = [full, full + "-wal"];
    }

    /// <summary>Forgets the known descriptors (the writer connection changed).</summary>
    public void Reset() => _descriptors = [];

    /// <summary>Returns the path of a store file that is open here but no longer on disk, or <see langword="null"/>.</summary>
    public string? FindLostFile()
    {
        if (!_supported)
        {
            return null;
        }

        var rescan = _descriptors.Count == 0;
        foreach (var descriptor in _descriptors)
        {
            switch (Classify(descriptor))
            {
                case (true, true, var file):
                    return file;
                case (false, _, _):
                    rescan = true;
                    break;
            }
        }

        if (!rescan)
        {
            return null;
        }

        var found = new List<string>();
        string? lost = null;
        foreach (var descriptor in Directory.EnumerateFileSystemEntries(FdDirectory))
        {
            if (Classify(descriptor) is (true, var deleted, var file))
            {
                found.Add(descriptor);
                lost ??= deleted ? file : null;
            }
        }

        _descriptors = found;
        return lost;
    }

    private (bool Ours, bool Deleted, string File) Classify(string descriptor)
    {
        string? target;
        try
        {
            target = new FileInfo(descriptor).LinkTarget;
        }
        catch (IOException)
        {
            return (false, false, string.Empty);
        }
        catch (UnauthorizedAccessException)
        {
            return (false, false, string.Empty);
        }

        if (target is null)
        {
            return (false, false, string.Empty);
        }

        var deleted = target.EndsWith(DeletedSuffix, StringComparison.Ordinal);
        var file = deleted ? target[..^DeletedSuffix.Length] : target;
        return Array.IndexOf(_files, file) >= 0 ? (true, deleted, file) : (false, false, string.Empty);
    }
}
