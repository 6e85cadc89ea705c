namespace Orchestra.Application.Configuration;

/// <summary>The HTTP server's settings.</summary>
public sealed class ServerOptions
{
    /// <summary>
    /// The addresses to listen on, separated by <c>;</c>. Only loopback addresses are allowed unless
    /// <see cref="BearerToken"/> is set. The check is made again on the addresses Kestrel actually binds, so a <c>Kestrel</c>
    /// section (command line, environment, configuration file) cannot get around it.
    /// </summary>
    /// <value>The default is <c>http://127.0.0.1:5080</c>.</value>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// The token that every request must present as <c>Authorization: Bearer TOKEN</c> (except <c>GET /healthz</c>).
    /// Required to listen on any non-loopback address. Prefer setting it through the
    /// <c>ORCHESTRA__SERVER__BEARERTOKEN</c> environment variable rather than in a file.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: the server requires the token it keeps in <see cref="TokenFile"/> (generated at first
    /// start) and listens on loopback only.
    /// </value>
    public string? BearerToken { get; set; }

    /// <summary>
    /// Where the server keeps the token it requires when <see cref="BearerToken"/> is not set: created at first start with a random
    /// token, mode 0600 in a 0700 directory, and refused at start if it or its directory is open to others or owned by another user.
    /// The CLI reads the same file to talk to a server of the same user on this machine.
    /// </summary>
    /// <value>The default is <see langword="null"/>: <c>$XDG_STATE_HOME/orchestra/server/token</c>, else <c>~/.local/state/orchestra/server/token</c>.</value>
    public string? TokenFile { get; set; }

    /// <summary>
    /// Serve requests without any token. Only loopback addresses may then be listened on, and the server logs a warning at start:
    /// any local user, and any process of this machine, can then run templates through it.
    /// </summary>
    /// <value>The default is <see langword="false"/>. Ignored when <see cref="BearerToken"/> is set.</value>
    public bool AllowAnonymousLoopback { get; set; }

    /// <summary>
    /// Host names requests may name in their <c>Host</c> header, besides <c>localhost</c>, loopback addresses and the addresses the server
    /// is bound to (for a wildcard binding: this machine's addresses and host name). A request naming any other host is refused with 421,
    /// which defeats DNS rebinding. Add the names clients use to reach the server through a proxy or DNS.
    /// </summary>
    /// <value>The default is empty.</value>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>How long the one-time sign-in URL printed at start (<c>/signin?code=...</c>) can be used.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan SignInCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a browser session opened through the sign-in URL lasts (the session cookie's lifetime).</summary>
    /// <value>The default is 12 hours.</value>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The directories the server may run templates from (and their subdirectories). A relative one is relative to the configuration
    /// file that names it, or to the working directory when it comes from the command line, the environment or the defaults beside the
    /// executable (see <see cref="ResolvedTemplateDirectories(Microsoft.Extensions.Configuration.IConfiguration)"/>); the server warns at
    /// start about one that does not exist. A template whose path, or whose base directory for inline text, is elsewhere is refused:
    /// templates run scripts.
    /// </summary>
    /// <value>The default is <c>config/templates</c>.</value>
    public IList<string> AllowedTemplateDirectories { get; } = [];

    /// <summary>
    /// The hosts the server may fetch templates' imports from (by URL, or from a <c>repositories</c> entry), each a host name or address
    /// (any port) or <c>host:port</c>, compared without case; a redirect to any other host is not followed. An import from anywhere else is
    /// refused with <c>TOS120</c> at the import, before anything is sent or read from the cache (<see cref="ImportOptions"/>).
    /// </summary>
    /// <value>The default is empty: the server fetches nothing.</value>
    public IList<string> AllowedImportHosts { get; } = [];

    /// <summary>The largest request body accepted, in bytes.</summary>
    /// <value>The default is 1 MiB.</value>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The most template files <c>GET /api/templates</c> lists (the operator console's submit form), searched at most eight directories
    /// deep under the allowed directories; beyond it the list is cut and says so.
    /// </summary>
    /// <value>The default is 1,000.</value>
    public int MaxListedTemplates { get; set; } = 1000;

    /// <summary>How often an idle Server-Sent Events stream sends a comment line, so proxies keep it open.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan EventStreamKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the event stream of a deployment that does not exist yet waits for it to be submitted (sending keep-alive comments)
    /// before it reports <c>deployment-not-found</c> in a <c>problem</c> event and ends: a client may open the stream before it submits.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan EventStreamDeploymentWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The default for <see cref="AllowedTemplateDirectories"/> when the configuration names none.</summary>
    public const string DefaultTemplateDirectory = "config/templates";

    /// <summary>The allowed template directories as absolute paths (the default when none is configured).</summary>
    /// <returns>The full paths, without duplicates.</returns>
    public IReadOnlyList<string> ResolvedTemplateDirectories()
    {
        var dirs = AllowedTemplateDirectories.Count == 0 ? [DefaultTemplateDirectory] : AllowedTemplateDirectories;
        return Distinct(dirs.Where(d => !string.IsNullOrWhiteSpace(d)).Select(Path.GetFullPath));
    }

    /// <summary>
    /// The allowed template directories as absolute paths, each relative one resolved against where it was written
    /// (<see cref="ConfiguredPaths.ResolveList"/>): its configuration file's directory, else the working directory.
    /// </summary>
    /// <param name="configuration">The configuration these options were bound from.</param>
    /// <returns>The full paths, without duplicates; the default (relative to the working directory) when none is configured.</returns>
    public IReadOnlyList<string> ResolvedTemplateDirectories(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var dirs = ConfiguredPaths.ResolveList(configuration, $"{OrchestraOptions.SectionName}:Server:{nameof(AllowedTemplateDirectories)}");
        return dirs.Count == 0 ? ResolvedTemplateDirectories() : Distinct(dirs);
    }

    private static string[] Distinct(IEnumerable<string> paths) =>
        [.. paths.Select(Path.TrimEndingDirectorySeparator).Distinct(StringComparer.Ordinal)];
}
