using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Orchestra.Engine.Files.Internal;

/// <summary>Reads a regular file with a bounded buffer, refusing FIFOs, devices, sockets and directories without blocking on them.</summary>
internal static partial class RegularFile
{
    private const int OpenReadOnlyNonBlocking = 0x800 /* O_NONBLOCK */ | 0x100 /* O_NOCTTY */ | 0x80000 /* O_CLOEXEC */;
    private const int AtEmptyPath = 0x1000;
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint StatxTypeAndSize = 0x1 /* STATX_TYPE */ | 0x200 /* STATX_SIZE */;
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const int NoSuchEntry = 2;
    private const int NotADirectory = 20;
    private const int FirstChunk = 64 * 1024;

    public static FileReadResult Read(string path, long maxBytes, FileAccessPolicy policy)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return ReadLinux(path, maxBytes, policy);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // No usable libc (statx needs glibc 2.28): the managed path below still bounds what is read.
            }
        }

        return ReadManaged(path, maxBytes);
    }

    private static FileReadResult ReadLinux(string path, long maxBytes, FileAccessPolicy policy)
    {
        // The type is checked before the open, because opening some devices acts (a watchdog starts, a tape rewinds), and
        // again on the open descriptor, in case the path was swapped in between.
        if (Statx(CurrentDirectory, path, 0, StatxTypeAndSize, out var before) != 0)
        {
            return Failure(Marshal.GetLastPInvokeError());
        }

        if ((before.Mode & TypeMask) != Regular)
        {
            return new FileReadResult(FileReadStatus.NotRegularFile, Kind: Describe(before.Mode & TypeMask));
        }

        // O_NONBLOCK: should the path have become a FIFO, the open must not wait for a writer, holding the thread forever.
        var fd = Open(path, OpenReadOnlyNonBlocking);
        if (fd < 0)
        {
            return Failure(Marshal.GetLastPInvokeError());
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Statx(fd, string.Empty, AtEmptyPath, StatxTypeAndSize, out var status) != 0)
        {
            return Failure(Marshal.GetLastPInvokeError());
        }

        if ((status.Mode & TypeMask) != Regular)
        {
            return new FileReadResult(FileReadStatus.NotRegularFile, Kind: Describe(status.Mode & TypeMask));
        }

        // What the descriptor really names: a link swapped after the policy's check cannot lead the read elsewhere.
        if (policy.IsRestricted && OpenedPath(fd) is { } opened && !policy.IsInside(opened))
        {
            return FileReadResult.Refused(FileReadStatus.NotAllowed);
        }

        return ReadBounded(handle, (long)status.Size, maxBytes);
    }

    private static FileReadResult Failure(int errno) => errno is NoSuchEntry or NotADirectory
        ? FileReadResult.Refused(FileReadStatus.NotFound)
        : new FileReadResult(FileReadStatus.Unreadable, Error: Marshal.GetPInvokeErrorMessage(errno));

    private static FileReadResult ReadManaged(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Directory.Exists(path)
                ? new FileReadResult(FileReadStatus.NotRegularFile, Kind: "a directory")
                : FileReadResult.Refused(FileReadStatus.NotFound);
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ReadBounded(handle, info.Length, maxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new FileReadResult(FileReadStatus.Unreadable, Error: e.Message);
        }
    }

    private static FileReadResult ReadBounded(SafeFileHandle handle, long reported, long maxBytes)
    {
        if (reported > maxBytes)
        {
            return new FileReadResult(FileReadStatus.TooLarge, Length: reported);
        }

        // The reported size is only a hint (/proc files report 0 and a file may grow): read until end of file or one byte past the limit.
        var buffer = new byte[reported > 0 ? reported + 1 : Math.Min(maxBytes + 1, FirstChunk)];
        var total = 0L;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1, buffer.Length * 2L));
                }

                var read = RandomAccess.Read(handle, buffer.AsSpan((int)total), total);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > maxBytes)
                {
                    return new FileReadResult(FileReadStatus.TooLarge, Length: reported > maxBytes ? reported : null);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new FileReadResult(FileReadStatus.Unreadable, Error: e.Message);
        }

        Array.Resize(ref buffer, (int)total);
        return new FileReadResult(FileReadStatus.Read, buffer);
    }

    private static string? OpenedPath(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc: the policy's check of the path before the open stands.
            return null;
        }
    }

    private static string Describe(int type) => type switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "not a regular file",
    };

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    // struct statx is the same on every Linux architecture: stx_mode at offset 28, stx_size at 40, 256 bytes in all.
    // Its fields are written by statx, which the compiler cannot see.
#pragma warning disable CS0649
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;
    }
#pragma warning restore CS0649
}
