using System.Diagnostics;

namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>
/// A small tmpfs mounted for one test (root only): a medium that really fills up, or that really turns read-only
/// (<c>mount -o remount,ro</c>), which root's disregard for permission bits cannot fake with chmod.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Why a test that mounts must be skipped here, or <see langword="null"/> when it can run.</summary>
    public static string? SkipReason =>
        !OperatingSystem.IsLinux() ? "mounting a tmpfs needs Linux"
        : !Environment.IsPrivilegedProcess ? "mounting a tmpfs needs root (run the tests as root, as CI does)"
        : null;

    /// <summary>Mounts a tmpfs of <paramref name="sizeOption"/> (e.g. <c>64m</c>) on <paramref name="path"/>, an existing empty directory, or on a new one.</summary>
    public static TmpfsMount Create(string sizeOption, string? path = null)
    {
        path ??= Directory.CreateTempSubdirectory("orchestra-tmpfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeOption}", "tmpfs", path);
        return new TmpfsMount(path);
    }

    public void RemountReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
        }
    }
}

/// <summary>A fact that mounts a tmpfs: skipped, with the reason printed, where it cannot (not root, not Linux).</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        Skip = TmpfsMount.SkipReason;
    }
}
