using Orchestra.Engine.Executors;

namespace Orchestra.Engine.Deployments;

/// <summary>One attempt of one task with the end of what its process printed, as read back from the journal.</summary>
/// <param name="Node">The node.</param>
/// <param name="Operation">The operation name (for a revert: the deploy operation it reverts).</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
/// <param name="Attempt">The 1-based attempt number.</param>
/// <param name="Outcome">How the attempt ended, or that it still runs.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended, if it has.</param>
/// <param name="ExitCode">The process exit code of a failed attempt, if a process exited.</param>
/// <param name="Error">Why it failed or was cancelled, in words.</param>
/// <param name="Stdout">The end of its standard output; <see langword="null"/> when it printed none (or has not ended yet).</param>
/// <param name="Stderr">The end of its standard error; <see langword="null"/> when it printed none (or has not ended yet).</param>
public sealed record AttemptLog(
    string Node,
    string Operation,
    TaskPhase Phase,
    int Attempt,
    AttemptOutcome Outcome,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int? ExitCode,
    string? Error,
    OutputTail? Stdout,
    OutputTail? Stderr)
{
    /// <summary>For an attempt of the <see cref="TaskPhase.Revert"/> phase: the operation that ran (<c>Standard.delete</c>), while
    /// <see cref="Operation"/> names the deploy operation it reverted (<c>Standard.create</c>).</summary>
    public string? Runs { get; init; }
}

/// <summary>How an attempt ended.</summary>
public enum AttemptOutcome
{
    /// <summary>It is running (its output is journaled when it ends; live lines come as <see cref="NotificationKind.TaskOutput"/>).</summary>
    Running,

    /// <summary>It succeeded.</summary>
    Succeeded,

    /// <summary>It failed (another attempt may follow, per the retry policy).</summary>
    Failed,

    /// <summary>It was cancelled.</summary>
    Cancelled,

    /// <summary>The orchestrator stopped while it ran; the operation ran again after recovery. Its output was not kept.</summary>
    Interrupted,
}
