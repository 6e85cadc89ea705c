namespace Orchestra.Server.Templates;

/// <summary>
/// Decides whether a template may be run from a path: only files inside the configured allowed directories
/// (or their subdirectories), after resolving <c>..</c> segments and symbolic links, because templates run scripts.
/// </summary>
public sealed class TemplateDirectoryPolicy
{
    private readonly IReadOnlyList<string> _allowed;

    /// <summary>Creates the policy.</summary>
    /// <param name="allowedDirectories">Absolute directories; files inside them (at any depth) are allowed.</param>
    public TemplateDirectoryPolicy(IReadOnlyList<string> allowedDirectories)
    {
        ArgumentNullException.ThrowIfNull(allowedDirectories);
        _allowed = allowedDirectories.Select(Canonical).ToArray();
    }

    /// <summary>The allowed directories, canonical.</summary>
    public IReadOnlyList<string> AllowedDirectories => _allowed;

    /// <summary>Whether <paramref name="path"/> (a file or a directory) is inside an allowed directory.</summary>
    /// <param name="path">An absolute path, or one relative to the current directory.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public bool IsAllowed(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Canonical(path);
        foreach (var dir in _allowed)
        {
            if (string.Equals(full, dir, StringComparison.Ordinal)
                || full.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The message shown when a path is refused.</summary>
    /// <param name="path">The refused path, as the client gave it.</param>
    /// <returns>A message naming the allowed directories and how to change them.</returns>
    public string RefusalMessage(string path) =>
        $"'{path}' is outside the directories this server may run templates from ({string.Join(", ", _allowed)}). " +
        "Templates run scripts, so the server only runs those under Orchestra:Server:AllowedTemplateDirectories.";

    // Resolves "..", "." and symbolic links of every existing ancestor, so a link inside an allowed directory
    // that points elsewhere does not let a template escape.
    private static string Canonical(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var existing = full;
        var rest = new Stack<string>();
        while (!File.Exists(existing) && !Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                return full;
            }

            rest.Push(Path.GetFileName(existing));
            existing = parent;
        }

        var resolved = ResolveLinks(existing);
        while (rest.Count > 0)
        {
            resolved = Path.Combine(resolved, rest.Pop());
        }

        return Path.TrimEndingDirectorySeparator(resolved);
    }

    private static string ResolveLinks(string existing)
    {
        var parent = Path.GetDirectoryName(existing);
        var resolvedParent = parent is null ? null : ResolveLinks(parent);
        var current = resolvedParent is null ? existing : Path.Combine(resolvedParent, Path.GetFileName(existing));
        FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
        {
            return Path.TrimEndingDirectorySeparator(Path.GetFullPath(target.FullName));
        }

        return current;
    }
}
