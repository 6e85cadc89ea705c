namespace Orchestra.Engine.Deployments;

/// <summary>
/// The <see cref="DeploymentNotification"/> that a journaled event gives: one mapping for the live notifications the deployment
/// actor publishes and for those rebuilt from the journal (<see cref="Replay"/>), so that a stream that replays, then goes on
/// live, reports every event the same way.
/// </summary>
public static class DeploymentNotifications
{
    /// <summary>The notification of one journaled event.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="event">The event.</param>
    /// <param name="sequenceNr">Its sequence number in the deployment's journal.</param>
    /// <param name="state">The deployment's state with <paramref name="event"/> applied: it gives the statuses reported.</param>
    /// <returns>The notification.</returns>
    public static DeploymentNotification Of(string deploymentId, DeploymentEvent @event, long sequenceNr, DeploymentState state)
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(state);
        var id = deploymentId;
        DeploymentNotification notification = @event switch
        {
            DeploymentSubmitted s => new(id, NotificationKind.Submitted, s.At, state.Status, Message: $"plan '{s.Plan.Name}': {s.Plan.OperationCount} operations", SequenceNr: sequenceNr),
            TaskStarted s => new(id, NotificationKind.TaskStarted, s.At, state.Status, s.Node, s.Operation, s.Phase, s.Attempt, state.NodeStatusOf(s.Node), s.Recovered ? "re-run after recovery" : null, sequenceNr),
            TaskSucceeded s => new(id, NotificationKind.TaskSucceeded, s.At, state.Status, s.Node, s.Operation, s.Phase, s.Attempt, state.NodeStatusOf(s.Node), s.Warnings is { Count: > 0 } w ? "warning: " + string.Join("; warning: ", w) : null, sequenceNr),
            TaskAttemptFailed f => new(id, NotificationKind.TaskAttemptFailed, f.At, state.Status, f.Node, f.Operation, f.Phase, f.Attempt, state.NodeStatusOf(f.Node), f.Error, sequenceNr) { RetryAt = f.RetryAt },
            TaskFailed f => new(id, NotificationKind.TaskFailed, f.At, state.Status, f.Node, f.Operation, f.Phase, f.Attempt, state.NodeStatusOf(f.Node), f.Error, sequenceNr),
            TaskCancelled c => new(id, NotificationKind.TaskCancelled, c.At, state.Status, c.Node, c.Operation, c.Phase, c.Attempt, state.NodeStatusOf(c.Node), c.Reason, sequenceNr),
            _ => new(id, NotificationKind.StatusChanged, @event.At, state.Status, Message: DeploymentHistory.Describe(sequenceNr, @event).Message, SequenceNr: sequenceNr),
        };

        // A revert is reported under the deploy operation it reverts; Runs names what runs (Standard.delete for Standard.create).
        return notification is { Phase: TaskPhase.Revert, Node: { } node, Operation: { } operation }
            ? notification with { Runs = state.Plan.RevertNameOf(node, operation) }
            : notification;
    }

    /// <summary>
    /// Rebuilds the notifications of a deployment's journal, oldest first, folding its state as it goes: each carries the status
    /// right after its event (a live notification carries the status after the whole batch its event was journaled in).
    /// </summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="history">Its journal from the first event (<see cref="Hosting.IDeploymentsHost.GetHistoryAsync"/>).</param>
    /// <returns>Each notification with the status the deployment was in once its event applied.</returns>
    /// <exception cref="InvalidOperationException">The history does not start with the deployment's submission.</exception>
    public static IEnumerable<DeploymentNotification> Replay(string deploymentId, IEnumerable<HistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        DeploymentState? state = null;
        foreach (var entry in history)
        {
            if (state is null)
            {
                state = DeploymentState.Create(entry.Event as DeploymentSubmitted
                    ?? throw new InvalidOperationException($"event {entry.SequenceNr} of '{deploymentId}' is {entry.Kind}; a deployment's journal starts with its submission"));
            }
            else
            {
                state.Apply(entry.Event);
            }

            yield return Of(deploymentId, entry.Event, entry.SequenceNr, state);
        }
    }
}
