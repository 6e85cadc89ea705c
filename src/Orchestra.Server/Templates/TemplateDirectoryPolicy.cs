using Orchestra.Engine.Files;

namespace Orchestra.Server.Templates;

/// <summary>
/// Decides whether a template may be run from a path: only files inside the configured allowed directories
/// (or their subdirectories), after resolving <c>..</c> segments and symbolic links, because templates run scripts.
/// </summary>
/// <remarks>
/// The same directories bound everything a template uses once accepted (<see cref="Files"/>): the compiler reads imports and
/// records implementations, dependencies and artifacts only inside them, and the engine checks each implementation again
/// before it runs it.
/// </remarks>
public sealed class TemplateDirectoryPolicy
{
    /// <summary>Where the directories are configured, named in refusals.</summary>
    public const string ConfigurationKey = "Orchestra:Server:AllowedTemplateDirectories";

    /// <summary>Creates the policy.</summary>
    /// <param name="allowedDirectories">Absolute directories; files inside them (at any depth) are allowed.</param>
    public TemplateDirectoryPolicy(IReadOnlyList<string> allowedDirectories)
    {
        ArgumentNullException.ThrowIfNull(allowedDirectories);
        Files = FileAccessPolicy.Within(allowedDirectories, ConfigurationKey);
    }

    /// <summary>The allowed directories, canonical.</summary>
    public IReadOnlyList<string> AllowedDirectories => Files.Roots;

    /// <summary>The file-access policy of these directories, for the compiler and the engine.</summary>
    public FileAccessPolicy Files { get; }

    /// <summary>Whether <paramref name="path"/> (a file or a directory) is inside an allowed directory.</summary>
    /// <param name="path">An absolute path, or one relative to the current directory.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public bool IsAllowed(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Length > 0 && Files.Allows(path);
    }

    /// <summary>The message shown when a path is refused.</summary>
    /// <param name="path">The refused path, as the client gave it.</param>
    /// <returns>A message naming the allowed directories and how to change them.</returns>
    public string RefusalMessage(string path) =>
        $"'{path}' is outside the directories this server may run templates from ({string.Join(", ", AllowedDirectories)}). " +
        $"Templates run scripts, so the server only runs those under {ConfigurationKey}.";
}
