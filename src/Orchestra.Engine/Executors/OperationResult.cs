namespace Orchestra.Engine.Executors;

/// <summary>The outcome of one attempt.</summary>
/// <param name="Outcome">Succeeded, failed, timed out or cancelled.</param>
/// <param name="Outputs">The outputs (on success).</param>
/// <param name="Error">Why it failed, in words (with the exit code and the end of stderr for a process).</param>
/// <param name="ExitCode">The exit code, when a process exited.</param>
/// <param name="Warnings">Non-fatal problems, e.g. ignored lines of the outputs file.</param>
public sealed record OperationResult(
    OperationOutcome Outcome,
    IReadOnlyDictionary<string, string> Outputs,
    string? Error = null,
    int? ExitCode = null,
    IReadOnlyList<string>? Warnings = null)
{
    private static readonly IReadOnlyDictionary<string, string> NoOutputs = new Dictionary<string, string>();

    /// <summary>The end of what the attempt wrote to standard output, if it wrote anything (journaled with the attempt's outcome).</summary>
    public OutputTail? Stdout { get; init; }

    /// <summary>The end of what the attempt wrote to standard error, if it wrote anything (journaled with the attempt's outcome).</summary>
    public OutputTail? Stderr { get; init; }

    /// <summary>A success without outputs.</summary>
    public static OperationResult Success { get; } = new(OperationOutcome.Succeeded, NoOutputs);

    /// <summary>A success.</summary>
    /// <param name="outputs">The outputs.</param>
    /// <param name="warnings">Non-fatal problems, if any.</param>
    /// <returns>The result.</returns>
    public static OperationResult Succeeded(IReadOnlyDictionary<string, string> outputs, IReadOnlyList<string>? warnings = null) =>
        new(OperationOutcome.Succeeded, outputs, Warnings: warnings is { Count: > 0 } ? warnings : null);

    /// <summary>A failed attempt.</summary>
    /// <param name="error">Why.</param>
    /// <param name="exitCode">The exit code, if a process exited.</param>
    /// <returns>The result.</returns>
    public static OperationResult Failed(string error, int? exitCode = null) => new(OperationOutcome.Failed, NoOutputs, error, exitCode);

    /// <summary>An attempt killed because it ran longer than its timeout.</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns>The result.</returns>
    public static OperationResult TimedOut(TimeSpan timeout) =>
        new(OperationOutcome.TimedOut, NoOutputs, $"timed out after {timeout} (the process tree was killed)");

    /// <summary>An attempt stopped because the deployment was cancelled.</summary>
    /// <returns>The result.</returns>
    public static OperationResult Cancelled() => new(OperationOutcome.Cancelled, NoOutputs, "cancelled");
}

/// <summary>How an attempt ended.</summary>
public enum OperationOutcome
{
    /// <summary>It succeeded.</summary>
    Succeeded,

    /// <summary>It failed (non-zero exit, missing file, bad outputs...): a failed attempt, retried per the policy.</summary>
    Failed,

    /// <summary>It ran past its timeout and was killed: a failed attempt, retried per the policy.</summary>
    TimedOut,

    /// <summary>The deployment was cancelled while it ran.</summary>
    Cancelled,
}
