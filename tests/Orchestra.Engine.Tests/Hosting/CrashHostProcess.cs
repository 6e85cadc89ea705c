using System.Diagnostics;

namespace Orchestra.Engine.Tests.Hosting;

/// <summary>
/// Starts the crash host (tests/Orchestra.Engine.Tests.CrashHost, a real process that runs a chain of <c>append.sh</c> operations) and
/// reads the log its operations write, for the tests that SIGKILL it.
/// </summary>
internal static class CrashHostProcess
{
    /// <summary>
    /// Writes <c>append.sh</c> into <paramref name="dir"/>: each operation appends "&lt;node&gt; &lt;key&gt; &lt;attempt&gt;" to
    /// <c>log.txt</c>, sleeps a little (so a kill can land mid-operation), then outputs its input plus its node as <c>value</c>.
    /// </summary>
    public static void WriteAppendScript(string dir) =>
        File.WriteAllText(Path.Combine(dir, "append.sh"), """
            echo "$ORCHESTRA_NODE $ORCHESTRA_IDEMPOTENCY_KEY $ORCHESTRA_ATTEMPT" >> log.txt
            sleep 0.2
            echo "value=$PREVIOUS>$ORCHESTRA_NODE" >> "$ORCHESTRA_OUTPUTS"
            """.ReplaceLineEndings("\n"));

    /// <summary>The lines of <c>log.txt</c> in <paramref name="dir"/>, each split into node, idempotency key and attempt.</summary>
    public static string[][] Log(string dir)
    {
        var path = Path.Combine(dir, "log.txt");
        return File.Exists(path) ? [.. File.ReadAllLines(path).Select(l => l.Split(' '))] : [];
    }

    /// <summary>Starts the crash host with <paramref name="args"/> (see its Program.cs for their meaning).</summary>
    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll());
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    /// <summary>Waits until the log has at least <paramref name="lines"/> lines, failing if the host exits first or it takes a minute.</summary>
    public static async Task UntilLoggedAsync(Process process, string dir, int lines)
    {
        var deadline = Stopwatch.StartNew();
        while (Log(dir).Length < lines)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"no {lines} log lines");
            if (process.HasExited)
            {
                Assert.Fail($"the host exited ({process.ExitCode}) before it was killed: {await process.StandardError.ReadToEndAsync()}");
            }

            await Task.Delay(10);
        }
    }

    private static string Dll()
    {
        // <tests>/Orchestra.Engine.Tests/bin/<config>/<tfm>/ -> <tests>/Orchestra.Engine.Tests.CrashHost/bin/<config>/<tfm>/
        var tfm = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var config = tfm.Parent!;
        var tests = config.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, "Orchestra.Engine.Tests.CrashHost", "bin", config.Name, tfm.Name, "Orchestra.Engine.Tests.CrashHost.dll");
    }
}
