using System.Diagnostics;

namespace Orchestra.Persistence.Sqlite.Tests;

/// <summary>
/// A small tmpfs mounted for one test (root only: tests that use it carry <c>[RequiresRootOnLinux("mounting a tmpfs")]</c>): a medium that really fills up, or that really turns read-only
/// (<c>mount -o remount,ro</c>), which root's disregard for permission bits cannot fake with chmod.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static TmpfsMount Create(string sizeOption)
    {
        var path = Directory.CreateTempSubdirectory("orchestra-tmpfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeOption}", "tmpfs", path);
        return new TmpfsMount(path);
    }

    public void RemountReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
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
