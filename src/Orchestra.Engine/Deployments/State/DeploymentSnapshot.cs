namespace Orchestra.Engine.Deployments;

/// <summary>
/// A deployment's state saved every <see cref="EngineOptions.SnapshotEveryEvents"/> events (manifest
/// <see cref="DeploymentEventTypes.SnapshotManifest"/>), so recovery replays only the events after it.
/// </summary>
/// <remarks>Holds facts only (the submission and each task's record); everything derived is recomputed by <see cref="DeploymentState.Restore"/>.</remarks>
/// <param name="Submitted">
/// The deployment's first event (plan and options), or <see langword="null"/> when the snapshot leaves it to the journal (the actor does:
/// event 1 is never deleted, and re-serializing a 10,000-node plan in every snapshot would cost more than it saves).
/// </param>
/// <param name="UpdatedAt">When the last included event happened.</param>
/// <param name="Status">The status.</param>
/// <param name="StatusReason">The reason.</param>
/// <param name="Phase">The phase.</param>
/// <param name="RollbackRequested">Whether a final failure asked for a rollback that has not started yet.</param>
/// <param name="Completions">How many deploy operations have succeeded so far, counting repeats (the completion order counter).</param>
/// <param name="RollbackQueue">The revert tasks in the order the rollback runs them.</param>
/// <param name="RollbackPosition">How many of them are done.</param>
/// <param name="Tasks">Every task that is not pending.</param>
/// <param name="ActiveTime">
/// <see cref="DeploymentView.ActiveTime"/> up to <paramref name="UpdatedAt"/>; <see langword="null"/> in snapshots written before it existed
/// (restored as zero: the time before such a snapshot is not counted).
/// </param>
/// <param name="PhaseActiveTime"><see cref="DeploymentView.PhaseActiveTime"/> up to <paramref name="UpdatedAt"/>; <see langword="null"/> likewise.</param>
public sealed record DeploymentSnapshot(
    DeploymentSubmitted? Submitted,
    DateTimeOffset UpdatedAt,
    DeploymentStatus Status,
    string StatusReason,
    DeploymentPhase Phase,
    bool RollbackRequested,
    long Completions,
    IReadOnlyList<TaskRef> RollbackQueue,
    int RollbackPosition,
    IReadOnlyList<TaskSnapshot> Tasks,
    TimeSpan? ActiveTime = null,
    TimeSpan? PhaseActiveTime = null);

/// <summary>One task's record in a <see cref="DeploymentSnapshot"/>.</summary>
/// <param name="Task">Which task.</param>
/// <param name="Status">Its status (Ready is saved as Pending: readiness is derived).</param>
/// <param name="Attempt">The last attempt started.</param>
/// <param name="AttemptBase">Attempts made before the operator's last retry.</param>
/// <param name="StartedAt">When the last attempt started.</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="RetryAt">When the next attempt starts.</param>
/// <param name="Error">The last error.</param>
/// <param name="ExitCode">The last exit code.</param>
/// <param name="Outputs">Its outputs.</param>
/// <param name="Warnings">Its warnings.</param>
/// <param name="CompletionOrder">Its place in the order of successes (deploy tasks).</param>
public sealed record TaskSnapshot(
    TaskRef Task,
    OperationStatus Status,
    int Attempt,
    int AttemptBase,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? RetryAt,
    string? Error,
    int? ExitCode,
    IReadOnlyDictionary<string, string>? Outputs,
    IReadOnlyList<string>? Warnings,
    long CompletionOrder);
