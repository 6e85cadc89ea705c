namespace Orchestra.Application.Configuration;

/// <summary>
/// How templates' imports by URL and from <c>repositories</c> are fetched (<c>Orchestra:Imports</c>): each URL once, into a cache beside
/// the store, and from then on read from there, offline included. Which hosts a server may fetch from is
/// <see cref="ServerOptions.AllowedImportHosts"/>; the CLI fetches from any host unless <c>--offline</c>. See
/// <see cref="Templates.Imports.HttpImportFetcher"/>.
/// </summary>
public sealed class ImportOptions
{
    /// <summary>How long fetching one file may take, redirects included, from connecting to the last byte.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest file fetched, in bytes; a larger one is refused (<c>TOS004</c>) without being read past the limit. <c>Compiler:MaxFileBytes</c> bounds it too.</summary>
    /// <value>The default is 8 MiB.</value>
    public long MaxFileBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>How many redirects one fetch follows; each one's host is checked as the first URL's is, and none from https to http is followed.</summary>
    /// <value>The default is 5.</value>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Where fetched files are kept, one <c>.yaml</c> and one <c>.json</c> record (URL, time, size, SHA-256) per URL; delete an entry, or
    /// the directory, to fetch again. Relative to the working directory.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: <see cref="StoreOptions.ImportCacheDirectory"/>, <c>imports</c> beside <c>orchestra.db</c> for SQLite.
    /// </value>
    public string? CacheDirectory { get; set; }
}
