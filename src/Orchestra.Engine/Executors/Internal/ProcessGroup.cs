using System.Runtime.InteropServices;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>Signals a whole process group (a script started under <c>setsid</c> leads its own group, children included).</summary>
internal static partial class ProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="leaderPid"/>.</summary>
    /// <returns>Whether the group existed.</returns>
    public static bool Signal(int leaderPid, int signal) => OperatingSystem.IsWindows() ? false : Kill(-leaderPid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
