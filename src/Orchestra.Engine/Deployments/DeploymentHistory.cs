using System.Globalization;

namespace Orchestra.Engine.Deployments;

/// <summary>Describes journaled deployment events in words, for <see cref="HistoryEntry"/>.</summary>
public static class DeploymentHistory
{
    /// <summary>Describes one event.</summary>
    /// <param name="sequenceNr">Its sequence number.</param>
    /// <param name="event">The event.</param>
    /// <returns>The history entry.</returns>
    public static HistoryEntry Describe(long sequenceNr, DeploymentEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var kind = KindOf(@event);
        return @event switch
        {
            DeploymentSubmitted e => new(sequenceNr, e.At, kind, null, null, null, null,
                $"plan '{e.Plan.Name}' submitted: {e.Plan.Nodes.Count} nodes, {e.Plan.OperationCount} operations" + (e.Options.FailureAction is { } a ? $", on failure: {a}" : string.Empty), e),
            TaskStarted e => new(sequenceNr, e.At, kind, e.Node, e.Operation, e.Phase, e.Attempt,
                (e.Recovered ? "re-run after recovery, " : string.Empty) + $"attempt {e.Attempt}, key {e.IdempotencyKey}", e),
            TaskSucceeded e => new(sequenceNr, e.At, kind, e.Node, e.Operation, e.Phase, e.Attempt,
                (e.Outputs.Count == 0 ? "succeeded" : "succeeded: " + string.Join(", ", e.Outputs.Select(o => $"{o.Key}={Shorten(o.Value)}")))
                + (e.Warnings is { Count: > 0 } warnings ? "; warning: " + string.Join("; warning: ", warnings) : string.Empty), e),
            TaskAttemptFailed e => new(sequenceNr, e.At, kind, e.Node, e.Operation, e.Phase, e.Attempt,
                $"attempt {e.Attempt} failed: {e.Error}; next attempt at {e.RetryAt.ToString("O", CultureInfo.InvariantCulture)}", e),
            TaskFailed e => new(sequenceNr, e.At, kind, e.Node, e.Operation, e.Phase, e.Attempt, $"failed on attempt {e.Attempt}: {e.Error}", e),
            TaskCancelled e => new(sequenceNr, e.At, kind, e.Node, e.Operation, e.Phase, e.Attempt, e.Reason, e),
            TaskOutputCaptured e => new(sequenceNr, e.At, kind, e.Node, e.Operation, e.Phase, e.Attempt, DescribeOutput(e), e),
            DeploymentPauseRequested e => new(sequenceNr, e.At, kind, null, null, null, null, e.Reason ?? "pause requested", e),
            DeploymentCancelRequested e => new(sequenceNr, e.At, kind, null, null, null, null, e.Reason ?? "cancel requested", e),
            DeploymentHalted e => new(sequenceNr, e.At, kind, null, null, null, null, e.Reason, e),
            RollbackStarted e => new(sequenceNr, e.At, kind, null, null, null, null, e.Reason, e),
            _ => new(sequenceNr, @event.At, kind, null, null, null, null, kind.Replace('-', ' '), @event),
        };
    }

    private static string KindOf(DeploymentEvent @event)
    {
        foreach (var (type, manifest) in DeploymentEventTypes.All)
        {
            if (type == @event.GetType())
            {
                // engine.task-started.v1 -> task-started
                var name = manifest["engine.".Length..];
                return name[..name.LastIndexOf('.')];
            }
        }

        return @event.GetType().Name;
    }

    private static string DescribeOutput(TaskOutputCaptured e)
    {
        static string Of(string name, Executors.OutputTail? tail) =>
            tail is null ? $"no {name}" : $"{name} {tail.TotalBytes.ToString(CultureInfo.InvariantCulture)} bytes" + (tail.Truncated ? " (end kept)" : string.Empty);
        return $"output: {Of("stdout", e.Stdout)}, {Of("stderr", e.Stderr)}";
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 77), "...");
}
