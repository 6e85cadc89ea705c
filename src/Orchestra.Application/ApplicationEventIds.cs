namespace Orchestra.Application;

/// <summary>
/// The event ids of this assembly's new log messages, one catalogue so that none is reused; 300-309 are the control socket
/// (<see cref="Control.ControlSocket"/>), 310-319 fetching imports (<see cref="Templates.Imports.HttpImportFetcher"/>).
/// </summary>
internal static class ApplicationEventIds
{
    /// <summary>The control socket cannot be served: other processes cannot reach this one.</summary>
    public const int ControlCannotListen = 300;

    /// <summary>A request on the control socket failed (the peer went away, a malformed line, a timeout).</summary>
    public const int ControlRequestFailed = 301;

    /// <summary>An import was fetched by URL and put in the import cache.</summary>
    public const int ImportFetched = 310;

    /// <summary>A cached import was damaged (its record or content unreadable, or its SHA-256 wrong) and is treated as absent.</summary>
    public const int ImportCacheEntryDamaged = 311;
}
