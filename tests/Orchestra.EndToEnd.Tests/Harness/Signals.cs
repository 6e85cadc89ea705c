using System.Diagnostics;

namespace Orchestra.EndToEnd.Tests.Harness;

/// <summary>Signals for processes the tests did not start themselves (operation scripts, which run in their own process group).</summary>
public static class Signals
{
    /// <summary>SIGSTOP to the whole process group led by <paramref name="leaderPid"/>: it is frozen, and cannot finish anything.</summary>
    public static void StopGroup(int leaderPid) => SignalGroup("-STOP", leaderPid);

    /// <summary>SIGKILL to the whole process group led by <paramref name="leaderPid"/>, as a machine crash would end it.</summary>
    public static void KillGroup(int leaderPid) => SignalGroup("-KILL", leaderPid);

    private static void SignalGroup(string signal, int leaderPid)
    {
        var info = new ProcessStartInfo("kill") { UseShellExecute = false };
        foreach (var arg in new[] { signal, "--", "-" + leaderPid.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        using var kill = Process.Start(info)!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} -- -{leaderPid} failed with exit code {kill.ExitCode}.");
        }
    }
}
