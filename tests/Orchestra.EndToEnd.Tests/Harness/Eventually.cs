namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>Waits for something another process does to a file: there is no event to await across processes but the file itself.</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="path"/> exists and is not empty, then returns its content.</summary>
    public static async Task<string> FileContentAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (File.Exists(path) && await File.ReadAllTextAsync(path) is { Length: > 0 } content)
            {
                return content;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} did not appear within {timeout}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until a script writes its pid (<c>echo $$ &gt; FILE</c>) and returns it.</summary>
    public static async Task<int> PidFileAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // The script may be between creating the file and writing the number.
            if (int.TryParse(await FileContentAsync(path, deadline - DateTime.UtcNow), System.Globalization.CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Whether a process runs: its <c>/proc</c> entry exists and it is not a zombie waiting to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "PID (COMM) STATE ...": the state follows the last ')'.
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
