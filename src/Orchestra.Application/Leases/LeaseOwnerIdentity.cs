using System.Globalization;

namespace Orchestra.Application.Leases;

/// <summary>
/// A process's identity as a lease owner, <c>HOST:PID:START</c>, where START is the process start time in clock ticks
/// since boot (field 22 of <c>/proc/PID/stat</c>). Host and start time together let another process on the same
/// machine prove that a holder is dead even if its pid was reused.
/// </summary>
/// <param name="Host">The machine name.</param>
/// <param name="ProcessId">The process id.</param>
/// <param name="StartTicks">The process start time (clock ticks since boot), or 0 when unknown.</param>
public sealed record LeaseOwnerIdentity(string Host, int ProcessId, long StartTicks)
{
    /// <summary>This process's identity.</summary>
    public static LeaseOwnerIdentity Current { get; } =
        new(Environment.MachineName, Environment.ProcessId, ReadStartTicks(Environment.ProcessId) ?? 0);

    /// <inheritdoc/>
    public override string ToString() => $"{Host}:{ProcessId}:{StartTicks}";

    /// <summary>Parses an owner string written by <see cref="ToString"/>.</summary>
    /// <param name="owner">The owner text from a lease row.</param>
    /// <param name="identity">The identity, when the text has that form.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParse(string? owner, out LeaseOwnerIdentity identity)
    {
        identity = null!;
        var parts = (owner ?? string.Empty).Split(':');
        if (parts.Length != 3 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return false;
        }

        identity = new LeaseOwnerIdentity(parts[0], pid, start);
        return true;
    }

    /// <summary>Whether this identity is a process of this machine.</summary>
    public bool IsOnThisMachine => string.Equals(Host, Environment.MachineName, StringComparison.Ordinal);

    /// <summary>
    /// Whether this identity is a process of this machine that no longer exists: no <c>/proc/PID</c>, or a process with
    /// that pid that started at another time (the pid was reused).
    /// </summary>
    /// <returns><see langword="true"/> only when the holder is proven dead; <see langword="false"/> when it lives or cannot be checked.</returns>
    public bool IsDeadLocalProcess()
    {
        if (!IsOnThisMachine || !OperatingSystem.IsLinux())
        {
            return false;
        }

        var start = ReadStartTicks(ProcessId);
        return start is null || (StartTicks != 0 && start.Value != StartTicks);
    }

    /// <summary>Reads a process's start time from <c>/proc/PID/stat</c>.</summary>
    /// <param name="pid">The process id.</param>
    /// <returns>The start time in clock ticks since boot, or <see langword="null"/> if the process does not exist.</returns>
    public static long? ReadStartTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
        var close = stat.LastIndexOf(')');
        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state; Z is a zombie: dead, not yet reaped); start time is field 22.
        if (fields.Length > 0 && fields[0] is "Z" or "X")
        {
            return null;
        }

        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }
}
