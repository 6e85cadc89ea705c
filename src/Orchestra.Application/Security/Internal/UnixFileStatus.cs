using System.Runtime.InteropServices;

namespace Orchestra.Application.Security.Internal;

/// <summary>The owner, type and permission bits of a file, read without following a final symbolic link.</summary>
/// <remarks>
/// .NET exposes a file's mode but not its owner, so this reads <c>statx(2)</c>, whose buffer layout is the same on every Linux
/// architecture (unlike <c>struct stat</c>). Where <c>statx</c> is missing (other Unixes, old C libraries) the owner is unknown
/// (<see cref="FileStatus.Owner"/> is <see langword="null"/>) and the type and mode come from .NET.
/// </remarks>
internal static partial class UnixFileStatus
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxTypeModeUid = 0x1 | 0x2 | 0x8;
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int DirectoryType = 0x4000;
    private static bool _statxMissing;

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId => GetEffectiveUserId();

    /// <summary>Reads the status of <paramref name="path"/>.</summary>
    /// <returns>The status, or <see langword="null"/> when nothing exists at <paramref name="path"/>.</returns>
    public static FileStatus? Get(string path)
    {
        if (!_statxMissing)
        {
            try
            {
                var buffer = new byte[256];
                if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxTypeModeUid, buffer) != 0)
                {
                    return null;
                }

                // struct statx, in native byte order: stx_uid (u32) at 20, stx_mode (u16) at 28.
                var owner = MemoryMarshal.Read<uint>(buffer.AsSpan(20));
                var mode = MemoryMarshal.Read<ushort>(buffer.AsSpan(28));

                var type = mode & TypeMask;
                return new FileStatus(owner, (UnixFileMode)(mode & 0xFFF), type == RegularFile, type == DirectoryType);
            }
            catch (EntryPointNotFoundException)
            {
                _statxMissing = true;
            }
        }

        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return new FileStatus(null, info.UnixFileMode, IsRegularFile: false, IsDirectory: false);
        }

        if (info.Exists)
        {
            return new FileStatus(null, info.UnixFileMode, IsRegularFile: true, IsDirectory: false);
        }

        var directory = new DirectoryInfo(path);
        return directory.Exists ? new FileStatus(null, directory.UnixFileMode, IsRegularFile: false, IsDirectory: true) : null;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}

/// <summary>What <see cref="UnixFileStatus.Get"/> found.</summary>
/// <param name="Owner">The owner's user id, when the platform tells.</param>
/// <param name="Mode">The permission bits.</param>
/// <param name="IsRegularFile">A regular file (not a symbolic link, device or directory).</param>
/// <param name="IsDirectory">A directory (not a symbolic link to one).</param>
internal readonly record struct FileStatus(uint? Owner, UnixFileMode Mode, bool IsRegularFile, bool IsDirectory);
