namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>A fresh directory under /tmp, deleted at the end of the test: the working directory, store and templates of one test.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("orchestra-e2e-").FullName;
    }

    public string Path { get; }

    public string Store => System.IO.Path.Combine(Path, "store");

    /// <summary>Writes a file (creating directories); <c>.sh</c> files are made executable.</summary>
    public string Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content.ReplaceLineEndings("\n"));
        if (full.EndsWith(".sh", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
