using System.Globalization;
using System.Text.Json;
using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;

namespace Orchestra.Cli.Output;

/// <summary>Small formatting helpers shared by the views.</summary>
internal static class Formats
{
    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 60 => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s",
        < 3600 => $"{(int)span.TotalMinutes}m{span.Seconds:00}s",
        _ => $"{(int)span.TotalHours}h{span.Minutes:00}m",
    };

    /// <summary>A short wait as a person says it (<c>1.2 s</c>), a longer one as <see cref="Duration"/>; never negative.</summary>
    public static string Wait(TimeSpan span) => span <= TimeSpan.Zero ? "0.0 s"
        : span.TotalSeconds < 60 ? span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : Duration(span);

    /// <summary>When a waiting retry starts, seen from <paramref name="now"/>: <c>retry in 1.2 s</c>.</summary>
    public static string RetryIn(DateTimeOffset retryAt, DateTimeOffset now) => "retry in " + Wait(retryAt - now);

    /// <summary>
    /// How long a deployment has worked (<see cref="DeploymentView.ActiveTime"/>, without the time it sat halted or paused), counting on to
    /// <paramref name="now"/> while it is not settled.
    /// </summary>
    public static TimeSpan Worked(DeploymentView view, DateTimeOffset now) =>
        view.ActiveTime + (view.Status.IsSettled() || now < view.UpdatedAt ? TimeSpan.Zero : now - view.UpdatedAt);

    /// <summary>
    /// What a task runs, for a person: the operation; for a revert, the operation that runs and what it reverts
    /// (<c>Standard.delete (reverting Standard.create)</c>); for a teardown, the operation with its phase.
    /// </summary>
    public static string TaskTitle(string operation, TaskPhase phase, string? runs) => phase switch
    {
        TaskPhase.Deploy => operation,
        TaskPhase.Revert => $"{runs ?? "revert"} (reverting {operation})",
        _ => $"{operation} ({phase.ToString().ToLowerInvariant()})",
    };

    /// <summary><see cref="TaskTitle(string, TaskPhase, string?)"/> of a task of a view.</summary>
    public static string TaskTitle(TaskView task) => TaskTitle(task.Operation, task.Phase, task.Runs);

    public static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Status(DeploymentStatus status) => status.ToString();

    public static string Value(JsonElement value) => PlanValue.Render(value);

    /// <summary>The task of a node that best says what it is doing now: running, retrying, failed, else the last finished.</summary>
    public static TaskView? CurrentTask(NodeView node) =>
        node.Tasks.FirstOrDefault(t => t.Status is OperationStatus.Running)
        ?? node.Tasks.FirstOrDefault(t => t.Status is OperationStatus.RetryWaiting)
        ?? node.Tasks.FirstOrDefault(t => t.Status is OperationStatus.Failed)
        ?? node.Tasks.LastOrDefault(t => t.Status is OperationStatus.Succeeded or OperationStatus.Cancelled);

    public static TimeSpan? NodeElapsed(NodeView node, DateTimeOffset now)
    {
        var started = node.Tasks.Where(t => t.StartedAt is not null).Select(t => t.StartedAt!.Value).DefaultIfEmpty().Min();
        if (started == default)
        {
            return null;
        }

        var running = node.Tasks.Any(t => t.Status is OperationStatus.Running or OperationStatus.RetryWaiting);
        var finished = node.Tasks.Where(t => t.FinishedAt is not null).Select(t => t.FinishedAt!.Value).DefaultIfEmpty(started).Max();
        return (running ? now : finished) - started;
    }

    /// <summary>One line for a notification, for redirected output and logs.</summary>
    public static string Line(DeploymentNotification n)
    {
        var where = n.Node is null ? string.Empty : n.Operation is null ? $" {n.Node}" : $" {n.Node} {TaskTitle(n.Operation, n.Phase ?? TaskPhase.Deploy, n.Runs)}";
        var attempt = n.Attempt is { } a && n.Kind is NotificationKind.TaskStarted or NotificationKind.TaskAttemptFailed or NotificationKind.TaskFailed
            ? $" attempt {a}" : string.Empty;
        var what = n.Kind switch
        {
            NotificationKind.Submitted => "submitted",
            NotificationKind.Recovered => "recovered from the journal",
            NotificationKind.StatusChanged => $"deployment {n.Status}",
            NotificationKind.NodeStatusChanged => $"node {n.NodeStatus}",
            NotificationKind.TaskStarted => "started",
            NotificationKind.TaskSucceeded => "succeeded",
            NotificationKind.TaskAttemptFailed => n.RetryAt is { } retryAt ? "failed, " + RetryIn(retryAt, n.At) : "failed, will retry",
            NotificationKind.TaskFailed => "FAILED",
            NotificationKind.TaskCancelled => "cancelled",
            _ => n.Kind.ToString(),
        };
        var message = string.IsNullOrWhiteSpace(n.Message) ? string.Empty : ": " + OneLine(n.Message);
        return $"{Time(n.At)} {n.DeploymentId}{where}{attempt} {what}{message}";
    }

    public static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" | ").Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
