using System.Globalization;
using System.Security.Cryptography;
using Orchestra.Application.Configuration;
using Orchestra.Application.Security.Internal;

namespace Orchestra.Application.Security;

/// <summary>
/// The per-user file that holds the token a server requires when no <see cref="ServerOptions.BearerToken"/> is configured, and that the
/// CLI reads to talk to a server of the same user on this machine.
/// </summary>
/// <remarks>
/// The file is created at a server's first start with a random 256-bit token, written to a temporary file created with mode 0600 and
/// then linked into place, so it is never visible half-written or with wider permissions, and two servers starting at once agree on one
/// token. Its directory is created with mode 0700. A file or directory that is a symbolic link, open to the group or to others, or owned
/// by another user is refused: its token may be known to someone else. The token stays the same across restarts.
/// </remarks>
public static class ServerTokenFile
{
    /// <summary>The only mode the token file may have: read and write for its owner.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The mode the token directory is created with; it may have no group or other bits.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OpenToOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const int TokenBytes = 32;

    /// <summary>The token file of <paramref name="server"/>: <see cref="ServerOptions.TokenFile"/>, else <see cref="DefaultPath"/>.</summary>
    /// <param name="server">The server's settings.</param>
    /// <returns>An absolute path.</returns>
    public static string PathFor(ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return string.IsNullOrWhiteSpace(server.TokenFile) ? DefaultPath() : Path.GetFullPath(server.TokenFile);
    }

    /// <summary>The default token file: <c>$XDG_STATE_HOME/orchestra/server/token</c>, else <c>~/.local/state/orchestra/server/token</c>.</summary>
    /// <returns>An absolute path.</returns>
    public static string DefaultPath() => Path.Combine(StoreOptions.StateDirectory(), "orchestra", "server", "token");

    /// <summary>Reads the token at <paramref name="path"/>, creating the file (and its directory) with a new random token first if needed.</summary>
    /// <param name="path">The token file.</param>
    /// <returns>The token.</returns>
    /// <exception cref="UnsafeTokenFileException">The file or its directory is open to others, owned by another user, or not a plain file.</exception>
    /// <exception cref="IOException">The file cannot be created or read.</exception>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static string ReadOrCreate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory, DirectoryMode);
        CheckDirectory(directory);
        if (UnixFileStatus.Get(path) is null)
        {
            Create(path, directory);
        }

        return Read(path)!;
    }

    /// <summary>Reads the token at <paramref name="path"/> after checking that only this user can know it.</summary>
    /// <param name="path">The token file.</param>
    /// <returns>The token, or <see langword="null"/> when there is no such file.</returns>
    /// <exception cref="UnsafeTokenFileException">The file or its directory is open to others, owned by another user, not a plain file, or empty.</exception>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static string? Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (UnixFileStatus.Get(path) is not { } status)
        {
            return null;
        }

        CheckDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Check(path, status, isDirectory: false, "0600", $"chmod 600 {path}");
        var token = File.ReadAllText(path).Trim();
        return token.Length > 0 ? token : throw new UnsafeTokenFileException($"The token file '{path}' is empty. Remove it: the server creates a new one at its next start.");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Create(string path, string directory)
    {
        var temporary = Path.Combine(directory, $".token-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
        try
        {
            // Created with its final mode (the umask can only narrow it): no moment when another user could open it.
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            }))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(Base64Url(RandomNumberGenerator.GetBytes(TokenBytes)) + "\n"));
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another server started at the same moment and won: use its token.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void CheckDirectory(string directory)
    {
        var status = UnixFileStatus.Get(directory) ?? throw new UnsafeTokenFileException($"The token directory '{directory}' does not exist.");
        Check(directory, status, isDirectory: true, "0700", $"chmod 700 {directory}");
    }

    private static void Check(string path, FileStatus status, bool isDirectory, string expected, string fix)
    {
        var what = isDirectory ? "token directory" : "token file";
        if (isDirectory ? !status.IsDirectory : !status.IsRegularFile)
        {
            throw new UnsafeTokenFileException($"The {what} '{path}' is not a plain {(isDirectory ? "directory" : "file")} (a symbolic link?); refusing to use it.");
        }

        if (status.Owner is { } owner && owner != UnixFileStatus.EffectiveUserId)
        {
            throw new UnsafeTokenFileException(
                $"The {what} '{path}' is owned by user {owner.ToString(CultureInfo.InvariantCulture)}, not by this user " +
                $"({UnixFileStatus.EffectiveUserId.ToString(CultureInfo.InvariantCulture)}): someone else may know its token. Remove it.");
        }

        if ((status.Mode & OpenToOthers) != 0)
        {
            throw new UnsafeTokenFileException(
                $"The {what} '{path}' is open to other users (mode {Convert.ToString((int)status.Mode, 8).PadLeft(4, '0')}); it must be {expected}. " +
                $"Run '{fix}'{(isDirectory ? string.Empty : ", or remove it and restart the server to get a new token")}.");
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A token file (or its directory) that others could read or have written; the message says what to change.</summary>
public sealed class UnsafeTokenFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the file and what to do.</param>
    public UnsafeTokenFileException(string message)
        : base(message)
    {
    }
}
