using Orchestra.Actors.Persistence;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Deployments;

/// <summary>
/// An event in a deployment's journal (persistence id <c>deployment-&lt;id&gt;</c>). Events are facts, immutable, and
/// versioned by their manifest name (<see cref="DeploymentEventTypes"/>): a change of shape gets a new record and a new
/// manifest, old ones keep replaying.
/// </summary>
/// <remarks>
/// Only facts are journaled; what follows from them (a node completing when its last operation succeeds, a ready task)
/// is derived by <c>DeploymentState.Apply</c>, so replay cannot disagree with the live run.
/// </remarks>
/// <param name="At">When it happened (the engine's <see cref="TimeProvider"/>).</param>
public abstract record DeploymentEvent(DateTimeOffset At);

/// <summary>A deployment was accepted: the whole plan and the submit options, so recovery never needs the template.</summary>
/// <param name="At">When it was accepted.</param>
/// <param name="DeploymentId">The client-chosen deployment id.</param>
/// <param name="Plan">The plan to run.</param>
/// <param name="Options">The submit options (failure action override, inputs for display, labels).</param>
public sealed record DeploymentSubmitted(DateTimeOffset At, string DeploymentId, DeploymentPlan Plan, SubmitOptions Options) : DeploymentEvent(At)
{
    /// <summary>Which run of the name this is (see <c>DeploymentRuns</c>); <see langword="null"/>, and absent from the JSON, for run 1, as release 1 wrote it.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Run { get; init; }
}

/// <summary>An attempt of a task is about to run. Journaled before the executor starts.</summary>
/// <param name="At">When it started.</param>
/// <param name="Node">The node.</param>
/// <param name="Operation">The operation name (for a revert: the name of the deploy operation it reverts).</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
/// <param name="Attempt">The 1-based attempt number (keeps counting across an operator's retries).</param>
/// <param name="IdempotencyKey">The same for every attempt and every re-run of this task (see <c>DeploymentState.IdempotencyKey</c>).</param>
/// <param name="Recovered">Whether this re-runs an attempt that was in flight when the previous owner stopped.</param>
public sealed record TaskStarted(DateTimeOffset At, string Node, string Operation, TaskPhase Phase, int Attempt, string IdempotencyKey, bool Recovered = false)
    : DeploymentEvent(At);

/// <summary>A task succeeded. Journaled before any dependent task is released.</summary>
/// <param name="At">When it finished.</param>
/// <param name="Node">The node.</param>
/// <param name="Operation">The operation name.</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
/// <param name="Attempt">The attempt that succeeded.</param>
/// <param name="Outputs">The outputs it reported (<c>key=value</c> lines of <c>ORCHESTRA_OUTPUTS</c>).</param>
/// <param name="Warnings">Non-fatal problems (ignored output lines, ...), for display.</param>
public sealed record TaskSucceeded(
    DateTimeOffset At, string Node, string Operation, TaskPhase Phase, int Attempt,
    IReadOnlyDictionary<string, string> Outputs, IReadOnlyList<string>? Warnings = null) : DeploymentEvent(At);

/// <summary>An attempt failed and another attempt will start at <paramref name="RetryAt"/>.</summary>
/// <param name="At">When it failed.</param>
/// <param name="Node">The node.</param>
/// <param name="Operation">The operation name.</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
/// <param name="Attempt">The attempt that failed.</param>
/// <param name="Error">Why (exit code and the end of stderr, a timeout, a missing file...).</param>
/// <param name="ExitCode">The process exit code, if a process exited.</param>
/// <param name="RetryAt">When the next attempt starts (computed from the retry policy when the failure was decided).</param>
public sealed record TaskAttemptFailed(
    DateTimeOffset At, string Node, string Operation, TaskPhase Phase, int Attempt, string Error, int? ExitCode, DateTimeOffset RetryAt)
    : DeploymentEvent(At);

/// <summary>A task failed its last attempt; the deployment follows its failure action.</summary>
/// <param name="At">When it failed.</param>
/// <param name="Node">The node.</param>
/// <param name="Operation">The operation name.</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
/// <param name="Attempt">The last attempt.</param>
/// <param name="Error">Why.</param>
/// <param name="ExitCode">The process exit code, if a process exited.</param>
public sealed record TaskFailed(DateTimeOffset At, string Node, string Operation, TaskPhase Phase, int Attempt, string Error, int? ExitCode)
    : DeploymentEvent(At);

/// <summary>A running or retry-waiting task was cancelled (its process tree killed).</summary>
/// <param name="At">When.</param>
/// <param name="Node">The node.</param>
/// <param name="Operation">The operation name.</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
/// <param name="Attempt">The attempt that was cancelled (0 if none had started).</param>
/// <param name="Reason">Why.</param>
public sealed record TaskCancelled(DateTimeOffset At, string Node, string Operation, TaskPhase Phase, int Attempt, string Reason)
    : DeploymentEvent(At);

/// <summary>An operator asked to pause: no new task starts.</summary>
/// <param name="At">When.</param>
/// <param name="Reason">Why (free text from the operator), if given.</param>
public sealed record DeploymentPauseRequested(DateTimeOffset At, string? Reason) : DeploymentEvent(At);

/// <summary>The deployment is paused with nothing running.</summary>
/// <param name="At">When.</param>
public sealed record DeploymentPaused(DateTimeOffset At) : DeploymentEvent(At);

/// <summary>An operator resumed a paused (or pausing) deployment.</summary>
/// <param name="At">When.</param>
public sealed record DeploymentResumed(DateTimeOffset At) : DeploymentEvent(At);

/// <summary>An operator asked to cancel: no new task starts; running tasks are cancelled.</summary>
/// <param name="At">When.</param>
/// <param name="Reason">Why, if given.</param>
public sealed record DeploymentCancelRequested(DateTimeOffset At, string? Reason) : DeploymentEvent(At);

/// <summary>The deployment is cancelled with nothing running.</summary>
/// <param name="At">When.</param>
public sealed record DeploymentCancelled(DateTimeOffset At) : DeploymentEvent(At);

/// <summary>The deployment stopped on a failure with nothing running.</summary>
/// <param name="At">When.</param>
/// <param name="Reason">Which operation failed and why.</param>
public sealed record DeploymentHalted(DateTimeOffset At, string Reason) : DeploymentEvent(At);

/// <summary>An operator asked to retry the failed tasks of a halted deployment (attempts keep counting; each gets its full retry budget again).</summary>
/// <param name="At">When.</param>
public sealed record FailedTasksRetried(DateTimeOffset At) : DeploymentEvent(At);

/// <summary>A rollback began because a task failed and the failure action is rollback.</summary>
/// <param name="At">When.</param>
/// <param name="Reason">Which operation failed and why.</param>
public sealed record RollbackStarted(DateTimeOffset At, string Reason) : DeploymentEvent(At);

/// <summary>Every completed operation was reverted.</summary>
/// <param name="At">When.</param>
public sealed record DeploymentRolledBack(DateTimeOffset At) : DeploymentEvent(At);

/// <summary>Every deploy operation succeeded.</summary>
/// <param name="At">When.</param>
public sealed record DeploymentSucceeded(DateTimeOffset At) : DeploymentEvent(At);

/// <summary>An operator asked to undeploy.</summary>
/// <param name="At">When.</param>
public sealed record UndeployRequested(DateTimeOffset At) : DeploymentEvent(At);

/// <summary>Every node that got past create is torn down.</summary>
/// <param name="At">When.</param>
public sealed record DeploymentUndeployed(DateTimeOffset At) : DeploymentEvent(At);

/// <summary>The stable manifest names of the deployment events: the names stored in the journal, never CLR names.</summary>
/// <remarks>A manifest never changes meaning. A new version of an event is a new record with a new manifest (<c>.v2</c>).</remarks>
public static class DeploymentEventTypes
{
    /// <summary>Every event type with its manifest, for registration with the event serializer.</summary>
    public static IReadOnlyList<(Type Type, string Manifest)> All { get; } =
    [
        (typeof(DeploymentSubmitted), "engine.deployment-submitted.v1"),
        (typeof(TaskStarted), "engine.task-started.v1"),
        (typeof(TaskSucceeded), "engine.task-succeeded.v1"),
        (typeof(TaskAttemptFailed), "engine.task-attempt-failed.v1"),
        (typeof(TaskFailed), "engine.task-failed.v1"),
        (typeof(TaskCancelled), "engine.task-cancelled.v1"),
        (typeof(DeploymentPauseRequested), "engine.deployment-pause-requested.v1"),
        (typeof(DeploymentPaused), "engine.deployment-paused.v1"),
        (typeof(DeploymentResumed), "engine.deployment-resumed.v1"),
        (typeof(DeploymentCancelRequested), "engine.deployment-cancel-requested.v1"),
        (typeof(DeploymentCancelled), "engine.deployment-cancelled.v1"),
        (typeof(DeploymentHalted), "engine.deployment-halted.v1"),
        (typeof(FailedTasksRetried), "engine.failed-tasks-retried.v1"),
        (typeof(RollbackStarted), "engine.rollback-started.v1"),
        (typeof(DeploymentRolledBack), "engine.deployment-rolled-back.v1"),
        (typeof(DeploymentSucceeded), "engine.deployment-succeeded.v1"),
        (typeof(UndeployRequested), "engine.undeploy-requested.v1"),
        (typeof(DeploymentUndeployed), "engine.deployment-undeployed.v1"),
        (typeof(TaskOutputCaptured), "engine.task-output-captured.v1"),
    ];

    /// <summary>Registers every deployment event (and the snapshot type) with <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry of the event serializer the deployment actors use.</param>
    /// <returns>The same registry.</returns>
    public static EventTypeRegistry Register(EventTypeRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var (type, manifest) in All)
        {
            registry.Register(type, manifest);
        }

        registry.Register(typeof(DeploymentSnapshot), SnapshotManifest);
        return registry;
    }

    /// <summary>The manifest of the deployment state snapshot.</summary>
    public const string SnapshotManifest = "engine.deployment-snapshot.v1";
}
