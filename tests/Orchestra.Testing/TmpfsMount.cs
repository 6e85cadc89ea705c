using System.Diagnostics;

namespace Orchestra.Testing;

/// <summary>
/// A small tmpfs mounted for one test (root only: tests that use it carry <c>[RequiresRootOnLinux("mounting a tmpfs")]</c>): a medium that really fills up, or that really turns read-only
/// (<c>mount -o remount,ro</c>), which root's disregard for permission bits cannot fake with chmod.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    /// <summary>Where the tmpfs is mounted.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="sizeOption"/> (e.g. <c>64m</c>) on <paramref name="path"/>, an existing empty directory, or on a new one.</summary>
    /// <param name="sizeOption">The tmpfs <c>size=</c> option: how much it holds before writes fail with "no space".</param>
    /// <param name="path">The directory to mount on; a new temporary one when omitted.</param>
    /// <returns>The mount, unmounted (and its directory deleted) on dispose.</returns>
    /// <exception cref="InvalidOperationException">mount failed (not root, no tmpfs).</exception>
    public static TmpfsMount Create(string sizeOption, string? path = null)
    {
        path ??= Directory.CreateTempSubdirectory("orchestra-tmpfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeOption}", "tmpfs", path);
        return new TmpfsMount(path);
    }

    /// <summary>Makes the medium read-only under whatever has it open, as a failing disk or an operator would.</summary>
    public void RemountReadOnly() => Run("mount", "-o", "remount,ro", Path);

    /// <summary>Unmounts lazily (files may still be open) and deletes the directory.</summary>
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
