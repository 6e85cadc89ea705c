using System.Text.Json;

namespace Orchestra.Engine.Deployments;

/// <summary>A deployment's full current state: its status with the reason, every node and every task.</summary>
/// <param name="DeploymentId">The deployment id.</param>
/// <param name="PlanName">The plan's name.</param>
/// <param name="Status">The status.</param>
/// <param name="StatusReason">Why it is in that status, in words (e.g. <c>web/Standard.create failed: exit code 3: ...</c>).</param>
/// <param name="Phase">The phase (deploy, rollback, undeploy).</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="UpdatedAt">When its last event happened.</param>
/// <param name="Options">The submit options.</param>
/// <param name="Nodes">Every node, in plan order.</param>
/// <param name="Outputs">The plan's outputs, evaluated over the outputs produced so far (empty string when not produced).</param>
/// <param name="SequenceNr">The sequence number of the last journaled event reflected in this view.</param>
public sealed record DeploymentView(
    string DeploymentId,
    string PlanName,
    DeploymentStatus Status,
    string StatusReason,
    DeploymentPhase Phase,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    SubmitOptions Options,
    IReadOnlyList<NodeView> Nodes,
    IReadOnlyDictionary<string, JsonElement> Outputs,
    long SequenceNr)
{
    /// <summary>Which run of the name this is: 1 for the first; each deploy after the previous run ended starts the next one.</summary>
    public int Run { get; init; } = 1;

    /// <summary>
    /// How many nodes this run leaves deployed (their first deploy operation succeeded and was neither reverted nor torn down): what an
    /// undeploy would tear down. A run is over (<see cref="Hosting.DeploymentRuns.HasEnded"/>) once it is undeployed, or cancelled or rolled
    /// back with none left.
    /// </summary>
    public int DeployedNodes { get; init; }

    /// <summary>
    /// How long the deployment has worked, over all its phases, up to <see cref="UpdatedAt"/>: the time between its journaled
    /// transitions, except the time it sat settled (<see cref="DeploymentStatus.Halted"/>, <see cref="DeploymentStatus.Paused"/>, or
    /// ended) waiting for an operator. While it is not settled, a reader adds the time since <see cref="UpdatedAt"/>.
    /// </summary>
    /// <remarks>Zero for the time before a snapshot written by a release that did not count it.</remarks>
    public TimeSpan ActiveTime { get; init; }

    /// <summary>
    /// <see cref="ActiveTime"/> of the current <see cref="Phase"/> only: for an undeploy, how long the teardown took; for a rollback,
    /// how long the reverts took.
    /// </summary>
    public TimeSpan PhaseActiveTime { get; init; }

    /// <summary>A one-line summary of this view.</summary>
    /// <returns>The summary.</returns>
    public DeploymentSummary ToSummary()
    {
        int total = 0, succeeded = 0, failed = 0, running = 0;
        foreach (var node in Nodes)
        {
            foreach (var task in node.Tasks)
            {
                if (task.Phase != TaskPhase.Deploy)
                {
                    continue;
                }

                total++;
                switch (task.Status)
                {
                    case OperationStatus.Succeeded: succeeded++; break;
                    case OperationStatus.Failed: failed++; break;
                    case OperationStatus.Running: running++; break;
                    default: break;
                }
            }
        }

        return new DeploymentSummary(DeploymentId, PlanName, Status, StatusReason, SubmittedAt, UpdatedAt, total, succeeded, failed, running) { Run = Run };
    }
}

/// <summary>One node of a deployment.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="Type">Its descriptive type, if any.</param>
/// <param name="Status">Its status.</param>
/// <param name="Reason">Why, in words (e.g. <c>waiting for db, network</c>).</param>
/// <param name="DependsOn">The nodes it waits for.</param>
/// <param name="Tasks">Its tasks: deploy operations in order, then revert and teardown tasks that exist in the current phase.</param>
/// <param name="Attributes">Its attributes: initial values overlaid by the outputs of its succeeded operations.</param>
public sealed record NodeView(
    string Name,
    string? Type,
    NodeStatus Status,
    string Reason,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<TaskView> Tasks,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>One task: an operation of a node in a phase.</summary>
/// <param name="Operation">The operation's name (for a revert: the deploy operation it reverts).</param>
/// <param name="Phase">Deploy, revert or teardown.</param>
/// <param name="Implementation">What runs (a path relative to the plan's base directory, or a built-in).</param>
/// <param name="Status">Its status.</param>
/// <param name="Reason">Why, in words (e.g. <c>waiting for a free slot</c>, <c>retry 2 of 3 at 10:00:05</c>).</param>
/// <param name="Attempt">The number of the last attempt started (0 if none).</param>
/// <param name="IdempotencyKey">The idempotency key passed to every attempt.</param>
/// <param name="StartedAt">When the last attempt started.</param>
/// <param name="FinishedAt">When it succeeded, failed or was cancelled.</param>
/// <param name="RetryAt">When the next attempt starts, while <see cref="OperationStatus.RetryWaiting"/>.</param>
/// <param name="Error">The error of the last failed attempt, if any.</param>
/// <param name="ExitCode">The exit code of the last failed attempt, if a process exited.</param>
/// <param name="Outputs">Its outputs, once succeeded.</param>
/// <param name="Warnings">Non-fatal problems of the attempt that succeeded (ignored output lines, a previous run's process stopped first...).</param>
public sealed record TaskView(
    string Operation,
    TaskPhase Phase,
    string? Implementation,
    OperationStatus Status,
    string Reason,
    int Attempt,
    string IdempotencyKey,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? RetryAt,
    string? Error,
    int? ExitCode,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// For a revert, the operation that runs to undo <see cref="Operation"/> (<c>Standard.delete</c> reverting <c>Standard.create</c>);
    /// <see langword="null"/> when the task runs <see cref="Operation"/> itself.
    /// </summary>
    public string? Runs { get; init; }
}

/// <summary>One line about a deployment, for lists.</summary>
/// <param name="DeploymentId">The deployment id.</param>
/// <param name="PlanName">The plan's name.</param>
/// <param name="Status">The status.</param>
/// <param name="StatusReason">Why.</param>
/// <param name="SubmittedAt">When it was submitted.</param>
/// <param name="UpdatedAt">When its last event happened.</param>
/// <param name="Operations">The number of deploy operations.</param>
/// <param name="Succeeded">How many of them succeeded.</param>
/// <param name="Failed">How many failed their last attempt.</param>
/// <param name="Running">How many are running.</param>
public sealed record DeploymentSummary(
    string DeploymentId,
    string PlanName,
    DeploymentStatus Status,
    string StatusReason,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    int Operations,
    int Succeeded,
    int Failed,
    int Running)
{
    /// <summary>The number of the run summarized: a name's latest (see <see cref="DeploymentView.Run"/>).</summary>
    public int Run { get; init; } = 1;
}

/// <summary>One journaled event of a deployment, in words.</summary>
/// <param name="SequenceNr">Its sequence number in the deployment's journal.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind">The event's kind (its manifest name without the <c>engine.</c> prefix and version, e.g. <c>task-succeeded</c>).</param>
/// <param name="Node">The node concerned, if any.</param>
/// <param name="Operation">The operation concerned, if any.</param>
/// <param name="Phase">The task phase, for task events.</param>
/// <param name="Attempt">The attempt, for task events.</param>
/// <param name="Message">A human-readable description (error text, reason, outputs).</param>
/// <param name="Event">The event itself.</param>
public sealed record HistoryEntry(
    long SequenceNr,
    DateTimeOffset At,
    string Kind,
    string? Node,
    string? Operation,
    TaskPhase? Phase,
    int? Attempt,
    string Message,
    DeploymentEvent Event);
