namespace Orchestra.Engine.Deployments;

/// <summary>
/// A transition of a deployment, published on the actor system's EventStream (and through
/// <see cref="Hosting.IDeploymentsHost.Subscribe"/>) right after the event that caused it is journaled.
/// </summary>
/// <remarks>
/// Notifications are for progress views and logs: they are delivered at most once, to live subscribers only. The journal
/// (<see cref="Hosting.IDeploymentsHost.GetHistoryAsync"/>) is the record.
/// </remarks>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="Kind">What changed.</param>
/// <param name="At">When.</param>
/// <param name="Status">The deployment's status after the change.</param>
/// <param name="Node">The node concerned, if any.</param>
/// <param name="Operation">The operation concerned, if any.</param>
/// <param name="Phase">The task phase, for task notifications.</param>
/// <param name="Attempt">The attempt, for task notifications.</param>
/// <param name="NodeStatus">The node's status after the change, for node and task notifications.</param>
/// <param name="Message">What happened, in words (error text, reason, retry time).</param>
/// <param name="SequenceNr">The sequence number of the journaled event that caused it.</param>
public sealed record DeploymentNotification(
    string DeploymentId,
    NotificationKind Kind,
    DateTimeOffset At,
    DeploymentStatus Status,
    string? Node = null,
    string? Operation = null,
    TaskPhase? Phase = null,
    int? Attempt = null,
    NodeStatus? NodeStatus = null,
    string? Message = null,
    long SequenceNr = 0)
{
    /// <summary>For <see cref="NotificationKind.TaskOutput"/>: which stream of the attempt's process printed the line.</summary>
    public Executors.OutputStream? Stream { get; init; }

    /// <summary>For <see cref="NotificationKind.TaskAttemptFailed"/>: when the next attempt starts.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>
    /// For a task of the <see cref="TaskPhase.Revert"/> phase: the operation that runs (<c>Standard.delete</c>), while
    /// <see cref="Operation"/> names the deploy operation it reverts (<c>Standard.create</c>).
    /// </summary>
    public string? Runs { get; init; }
}

/// <summary>What a <see cref="DeploymentNotification"/> is about.</summary>
public enum NotificationKind
{
    /// <summary>The deployment was submitted.</summary>
    Submitted,

    /// <summary>The deployment was recovered from its journal by this host (after a restart, a resume or a takeover).</summary>
    Recovered,

    /// <summary>The deployment's status changed (<see cref="DeploymentNotification.Status"/>; the message gives the reason).</summary>
    StatusChanged,

    /// <summary>A node's status changed.</summary>
    NodeStatusChanged,

    /// <summary>A task attempt started.</summary>
    TaskStarted,

    /// <summary>A task succeeded.</summary>
    TaskSucceeded,

    /// <summary>A task attempt failed and will be retried (at <see cref="DeploymentNotification.RetryAt"/>).</summary>
    TaskAttemptFailed,

    /// <summary>A task failed its last attempt.</summary>
    TaskFailed,

    /// <summary>A task was cancelled.</summary>
    TaskCancelled,

    /// <summary>
    /// A running attempt printed a line (<see cref="DeploymentNotification.Message"/>, from <see cref="DeploymentNotification.Stream"/>).
    /// Not journaled as such, and <see cref="DeploymentNotification.SequenceNr"/> is 0: the end of the output is journaled with the
    /// attempt's outcome (<see cref="TaskOutputCaptured"/>).
    /// </summary>
    TaskOutput,
}
