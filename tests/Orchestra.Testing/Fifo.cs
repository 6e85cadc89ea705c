using System.Diagnostics;

namespace Orchestra.Testing;

/// <summary>A named pipe made by the real <c>mkfifo</c>; disposing it releases a reader still blocked on it and deletes it.</summary>
public sealed class Fifo : IDisposable
{
    private Fifo(string path) => Path = path;

    /// <summary>Where the pipe is.</summary>
    public string Path { get; }

    /// <summary>Makes a named pipe at <paramref name="path"/>.</summary>
    /// <param name="path">Where; nothing may be there yet.</param>
    /// <returns>The pipe.</returns>
    /// <exception cref="InvalidOperationException">mkfifo failed.</exception>
    public static async Task<Fifo> CreateAsync(string path)
    {
        using var mkfifo = Process.Start("/usr/bin/mkfifo", [path]);
        await mkfifo.WaitForExitAsync().ConfigureAwait(false);
        return mkfifo.ExitCode == 0 ? new Fifo(path) : throw new InvalidOperationException($"mkfifo {path} failed ({mkfifo.ExitCode})");
    }

    /// <summary>Opens both ends once (never blocking on Linux), so a reader stuck in open() sees end of file, then deletes the pipe.</summary>
    public void Dispose()
    {
        using (new FileStream(Path, FileMode.Open, FileAccess.ReadWrite))
        {
        }

        File.Delete(Path);
    }
}
