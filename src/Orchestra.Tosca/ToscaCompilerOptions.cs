using Orchestra.Engine.Files;

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
    public FileAccessPolicy FileAccess { get; init; } = FileAccessPolicy.Unrestricted;

    /// <summary>
    /// Whether an input without a value and without a default is an error (TOS603). When false it is a
    /// warning and the input evaluates to null, which is what "validate" wants for templates that take secrets
    /// at deployment time.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RequireAllInputs { get; init; }

    /// <summary>
    /// Whether a requirement given by type or node_filter that matches several node templates is an error
    /// (TOS406); when false it is a warning and the first match in template order is used.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AmbiguousRequirementIsError { get; init; }
}
