using Orchestra.Engine.Files.Internal;

namespace Orchestra.Engine.Files;

/// <summary>
/// Which files a component may read or run: anywhere its user can (the local CLI), or only inside a set of root
/// directories (the server, which runs templates written by others). A path is judged by where it really leads:
/// <c>..</c>, <c>.</c> and every symbolic link on the way are resolved first, the way the kernel resolves them.
/// </summary>
/// <remarks>
/// <para>Immutable and thread-safe. The TOSCA compiler consults it for every file it reads (templates, imports) and every
/// path it records in a plan (implementations, dependencies, artifacts); the process executor consults it again
/// before it runs an implementation, because a link may have changed since the plan was compiled.</para>
/// <para><see cref="ReadFile"/> also bounds reading, restricted or not: anything but a regular file (a FIFO, a device,
/// a directory) is refused without blocking, and never more than the limit is read.</para>
/// </remarks>
public sealed class FileAccessPolicy
{
    // The kernel's own limit on links followed while resolving one path (ELOOP).
    private const int MaxLinks = 40;

    private readonly string[]? _roots;

    private FileAccessPolicy(string[]? roots, string? configuredBy)
    {
        _roots = roots;
        ConfiguredBy = configuredBy;
    }

    /// <summary>Every path its user can reach is allowed (what the local CLI does).</summary>
    public static FileAccessPolicy Unrestricted { get; } = new(null, null);

    /// <summary>Whether only paths inside <see cref="Roots"/> are allowed.</summary>
    public bool IsRestricted => _roots is not null;

    /// <summary>The allowed directories, with their links resolved; empty when <see cref="IsRestricted"/> is false.</summary>
    public IReadOnlyList<string> Roots => _roots ?? [];

    /// <summary>Where the roots are configured (e.g. <c>Orchestra:Server:AllowedTemplateDirectories</c>), for refusal messages.</summary>
    public string? ConfiguredBy { get; }

    /// <summary>A policy that allows only the files inside <paramref name="roots"/> (at any depth).</summary>
    /// <param name="roots">The allowed directories: absolute, or relative to the current directory. None allows nothing.</param>
    /// <param name="configuredBy">Where the roots are configured, named in refusal messages; <see langword="null"/> for nowhere.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="roots"/> is null.</exception>
    public static FileAccessPolicy Within(IEnumerable<string> roots, string? configuredBy = null)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var resolved = roots.Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(r => RealPath(r) ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new(resolved, configuredBy);
    }

    /// <summary>Where <paramref name="path"/> really leads, with <c>..</c> and every symbolic link resolved.</summary>
    /// <param name="path">An absolute path, or one relative to the current directory; it need not exist (the missing part is kept as written).</param>
    /// <returns>The absolute path, or <see langword="null"/> when its links loop (more than 40 links, as the kernel's ELOOP).</returns>
    public static string? RealPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var pending = new Stack<string>();
        Push(pending, full[root.Length..]);
        var current = root;
        var links = 0;
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name == ".")
            {
                continue;
            }

            if (name == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, name);
            if (LinkTarget(next) is not { } target)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            // The target's own segments, ".." included, are resolved from the link's physical directory, as the kernel does.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? root;
                target = target[current.Length..];
            }

            Push(pending, target);
        }

        return Path.TrimEndingDirectorySeparator(current);
    }

    /// <summary>Whether <paramref name="path"/> (a file or a directory) may be used.</summary>
    /// <param name="path">An absolute path, or one relative to the current directory.</param>
    /// <returns><see langword="true"/> when the policy is unrestricted, or the path's real location is inside a root.</returns>
    public bool Allows(string path) => _roots is null || Resolve(path) is not null;

    /// <summary>Where <paramref name="path"/> really leads, if it may be used.</summary>
    /// <param name="path">An absolute path, or one relative to the current directory.</param>
    /// <returns>
    /// The real path (see <see cref="RealPath"/>) when allowed, otherwise <see langword="null"/>; unrestricted, the path itself when
    /// its links loop (opening it then fails as the system decides).
    /// </returns>
    public string? Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var real = RealPath(path);
        if (_roots is null)
        {
            return real ?? Path.GetFullPath(path);
        }

        return real is not null && IsInside(real) ? real : null;
    }

    /// <summary>A sentence for a refused path: which directories are allowed, and where they are configured.</summary>
    /// <returns>For example <c>the allowed directories (/srv/templates; Orchestra:Server:AllowedTemplateDirectories)</c>.</returns>
    public string DescribeRoots() =>
        $"the allowed directories ({(Roots.Count == 0 ? "none" : string.Join(", ", Roots))}{(ConfiguredBy is null ? string.Empty : "; " + ConfiguredBy)})";

    /// <summary>
    /// Reads a whole file, if it is allowed, is a regular file and holds at most <paramref name="maxBytes"/> bytes.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes read; a longer file is refused once one byte more has been read.</param>
    /// <returns>The content, or why not (never an exception for a bad file).</returns>
    /// <remarks>
    /// On Linux anything but a regular file is refused before it is opened (opening some devices acts); the file is then
    /// opened without blocking (a FIFO swapped in meanwhile cannot hold the thread), its type is checked again on the open
    /// descriptor, and a restricted policy checks the path the descriptor really names, so a link swapped between the check
    /// and the open gains nothing. Sizes are not trusted: <c>/proc</c> files and devices report 0.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is negative or too large for one array.</exception>
    public FileReadResult ReadFile(string path, long maxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxBytes, (long)Array.MaxLength);
        if (!Allows(path))
        {
            return FileReadResult.Refused(FileReadStatus.NotAllowed);
        }

        return RegularFile.Read(path, maxBytes, this);
    }

    internal bool IsInside(string realPath)
    {
        foreach (var root in _roots ?? [])
        {
            if (string.Equals(realPath, root, StringComparison.Ordinal)
                || realPath.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return _roots is null;
    }

    private static void Push(Stack<string> pending, string relative)
    {
        var names = relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = names.Length - 1; i >= 0; i--)
        {
            pending.Push(names[i]);
        }
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable: judged as the path it is, which the open or the run then refuses.
            return null;
        }
    }
}
