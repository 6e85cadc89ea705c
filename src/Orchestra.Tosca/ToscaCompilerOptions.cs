using Orchestra.Engine.Files;
using Orchestra.Tosca.Imports;

namespace Orchestra.Tosca;

/// <summary>Limits and switches for <see cref="ToscaCompiler"/>.</summary>
/// <remarks>
/// The limits protect a server that compiles templates it did not write: a file that is not TOSCA at all
/// (binary, huge, deeply nested, an alias bomb) is rejected quickly with a located error and bounded memory.
/// </remarks>
public sealed class ToscaCompilerOptions
{
    /// <summary>The default options.</summary>
    public static ToscaCompilerOptions Default { get; } = new();

    /// <summary>The largest file (main template or import) that is read, in bytes.</summary>
    /// <value>The default is 32 MiB.</value>
    public long MaxFileBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>
    /// The most YAML nodes one document may stand for once every alias is expanded (this is what stops a
    /// "billion laughs" document).
    /// </summary>
    /// <value>The default is 5,000,000.</value>
    public long MaxNodes { get; init; } = 5_000_000;

    /// <summary>
    /// The most text (UTF-16 characters of scalars, keys included, plus one per node) one document may stand for once every alias is
    /// expanded. <see cref="MaxNodes"/> counts nodes, not their length: a few aliases of one long string stand for megabytes while
    /// staying far under it, and every value reaches the plan expanded.
    /// </summary>
    /// <value>The default is 16 MiB, as <see cref="MaxPlanBytes"/>: a document cannot usefully stand for more than a plan may hold.</value>
    public long MaxExpandedBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// The largest compiled plan, in UTF-8 bytes of the JSON it is journaled as (a deployment's first event holds it whole). Checked
    /// node by node as the plan is built, so compiling stops at the node template that crosses it (<c>TOS607</c>).
    /// </summary>
    /// <value>The default is 16 MiB, the engine's own limit (<c>EngineOptions.MaxPlanBytes</c>).</value>
    public long MaxPlanBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// The most UTF-8 bytes the supplied input values may take together (<c>TOS608</c>). An input reaches the plan once per property and
    /// operation input that uses it, and its text is journaled with the submission besides.
    /// </summary>
    /// <value>The default is 1 MiB, as the HTTP server's default request body limit.</value>
    public long MaxInputBytes { get; init; } = 1024 * 1024;

    /// <summary>The deepest nesting of maps and lists in one document.</summary>
    /// <value>The default is 200.</value>
    public int MaxDepth { get; init; } = 200;

    /// <summary>The most files that one compilation may import, transitively.</summary>
    /// <value>The default is 1,000.</value>
    public int MaxImports { get; init; } = 1000;

    /// <summary>
    /// The files a template may use: the compiler reads a template or an import, and records an implementation, a dependency
    /// or an artifact in the plan, only when its real path (links resolved) is allowed, and refuses it with TOS109 otherwise.
    /// Whatever the policy, only regular files are read, and never more than <see cref="MaxFileBytes"/>.
    /// </summary>
    /// <value>The default is <see cref="FileAccessPolicy.Unrestricted"/>: every path the user can reach (the local CLI).</value>
    public FileAccessPolicy FileAccess { get => _fileAccess; init => _fileAccess = value; }

    private FileAccessPolicy _fileAccess = FileAccessPolicy.Unrestricted;

    /// <summary>
    /// Fetches what templates import by URL or from a <c>repositories</c> entry (only <c>http</c> and <c>https</c>); a relative import
    /// inside a fetched file is fetched too, resolved against the file's URL, so a fetched file never reaches a local one. The
    /// fetcher decides which hosts it contacts and whether it may contact any (the CLI's <c>--offline</c>, a server's allowed hosts).
    /// </summary>
    /// <value>The default is <see langword="null"/>: an import by URL or from a repository is an error (<c>TOS120</c>) at the import.</value>
    public IImportFetcher? ImportFetcher { get => _importFetcher; init => _importFetcher = value; }

    private IImportFetcher? _importFetcher;

    /// <summary>
    /// Whether a required input (TOSCA inputs are required unless they say <c>required: false</c>) without a value and without a
    /// default is an error (TOS603), as it is for <c>validate</c>, <c>plan</c> and <c>deploy</c>: the deployment could not get the
    /// value later. When false it is a warning and the input evaluates to null, as a parser that only reads templates
    /// (tosca-parser) reports it.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RequireAllInputs { get; init; } = true;

    /// <summary>
    /// Whether a requirement given by type or node_filter that matches several node templates is an error
    /// (TOS406); when false it is a warning and the first match in template order is used.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AmbiguousRequirementIsError { get; init; }

    /// <summary>A copy of these options that fetches imports by URL through <paramref name="fetcher"/>.</summary>
    /// <param name="fetcher">The fetcher; <see langword="null"/> for none (imports by URL are refused).</param>
    /// <returns>The copy; these options are unchanged.</returns>
    public ToscaCompilerOptions WithImportFetcher(IImportFetcher? fetcher)
    {
        var copy = (ToscaCompilerOptions)MemberwiseClone();
        copy._importFetcher = fetcher;
        return copy;
    }

    /// <summary>A copy of these options that reaches files through <paramref name="fileAccess"/> instead.</summary>
    /// <param name="fileAccess">The policy of the copy: the server's allowed directories, typically, over limits bound from configuration.</param>
    /// <returns>The copy; these options are unchanged.</returns>
    public ToscaCompilerOptions WithFileAccess(FileAccessPolicy fileAccess)
    {
        ArgumentNullException.ThrowIfNull(fileAccess);
        var copy = (ToscaCompilerOptions)MemberwiseClone();
        copy._fileAccess = fileAccess;
        return copy;
    }
}
