namespace Orchestra.Server.Configuration;

/// <summary>The HTTP server's settings.</summary>
public sealed class ServerOptions
{
    /// <summary>
    /// The addresses to listen on, separated by <c>;</c>. Only loopback addresses are allowed unless
    /// <see cref="BearerToken"/> is set.
    /// </summary>
    /// <value>The default is <c>http://127.0.0.1:5080</c>.</value>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// The token that every request must present as <c>Authorization: Bearer TOKEN</c> (except <c>GET /healthz</c>).
    /// Required to listen on any non-loopback address. Prefer setting it through the
    /// <c>ORCHESTRA__SERVER__BEARERTOKEN</c> environment variable rather than in a file.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no authentication, loopback only.</value>
    public string? BearerToken { get; set; }

    /// <summary>
    /// The directories the server may run templates from (and their subdirectories), relative to the current
    /// directory. A template whose path, or whose base directory for inline text, is elsewhere is refused:
    /// templates run scripts.
    /// </summary>
    /// <value>The default is <c>config/templates</c>.</value>
    public IList<string> AllowedTemplateDirectories { get; } = [];

    /// <summary>The largest request body accepted, in bytes.</summary>
    /// <value>The default is 1 MiB.</value>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How often an idle Server-Sent Events stream sends a comment line, so proxies keep it open.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan EventStreamKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The default for <see cref="AllowedTemplateDirectories"/> when the configuration names none.</summary>
    public const string DefaultTemplateDirectory = "config/templates";

    /// <summary>The allowed template directories as absolute paths (the default when none is configured).</summary>
    /// <returns>The full paths, without duplicates.</returns>
    public IReadOnlyList<string> ResolvedTemplateDirectories()
    {
        var dirs = AllowedTemplateDirectories.Count == 0 ? [DefaultTemplateDirectory] : AllowedTemplateDirectories;
        return dirs.Where(d => !string.IsNullOrWhiteSpace(d))
            .Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }
}
