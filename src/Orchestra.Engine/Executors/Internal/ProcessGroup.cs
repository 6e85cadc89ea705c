using System.Runtime.InteropServices;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>Signals a whole process group (a script started under <c>setsid</c> leads its own group, children included).</summary>
internal static partial class ProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="leaderPid"/>.</summary>
    /// <returns>Whether the group existed.</returns>
    /// <remarks>A pid of 0 or 1 is refused: <c>kill(0)</c> would signal the engine's own group and <c>kill(-1)</c> every process.</remarks>
    public static bool Signal(int leaderPid, int signal) => !OperatingSystem.IsWindows() && leaderPid > 1 && Kill(-leaderPid, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to the one process <paramref name="pid"/>.</summary>
    /// <returns>Whether the process existed.</returns>
    public static bool SignalProcess(int pid, int signal) => !OperatingSystem.IsWindows() && pid > 0 && Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
