using System.Globalization;

namespace Orchestra.Engine.Executors.Internal;

/// <summary>What <c>/proc/&lt;pid&gt;/stat</c> says about a process (Linux).</summary>
/// <param name="State">The state letter (<c>R</c>, <c>S</c>, <c>D</c>, <c>Z</c> zombie, <c>X</c> dead, ...).</param>
/// <param name="ProcessGroupId">Field 5, the process group.</param>
/// <param name="SessionId">Field 6, the session.</param>
/// <param name="StartTicks">Field 22, when it started, in clock ticks after boot: with the boot id, it names one process for good.</param>
internal readonly record struct ProcStat(char State, int ProcessGroupId, int SessionId, long StartTicks)
{
    /// <summary>Whether it still runs: a zombie (exited, not yet reaped by its parent) does not.</summary>
    public bool IsRunning => State is not ('Z' or 'X' or 'x');
}

/// <summary>Reads processes and the boot id from <c>/proc</c>; everything returns <see langword="null"/> where there is no <c>/proc</c>.</summary>
internal static class ProcFs
{
    private static readonly Lazy<string?> BootIdLazy = new(() => ReadTrimmed("/proc/sys/kernel/random/boot_id"));

    /// <summary>This boot of the machine (<c>/proc/sys/kernel/random/boot_id</c>), or <see langword="null"/> if unknown.</summary>
    public static string? BootId => BootIdLazy.Value;

    /// <summary>Reads <c>/proc/<paramref name="pid"/>/stat</c>.</summary>
    /// <param name="pid">The process.</param>
    /// <returns>Its stat, or <see langword="null"/> if there is no such process (or no <c>/proc</c>, or it cannot be read).</returns>
    public static ProcStat? ReadStat(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        var text = ReadTrimmed($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        return text is null ? null : ParseStat(text);
    }

    /// <summary>Parses a <c>stat</c> line: <c>PID (COMM) STATE PPID PGRP SESSION ... STARTTIME ...</c>.</summary>
    /// <param name="text">The line.</param>
    /// <returns>The fields, or <see langword="null"/> if the line is malformed.</returns>
    public static ProcStat? ParseStat(string text)
    {
        // COMM may hold spaces and parentheses: the fields start after the LAST ')'.
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        if (fields.Length < 20 || fields[0].Length != 1
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pgrp)
            || !int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var session)
            || !long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcStat(fields[0][0], pgrp, session, start);
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
