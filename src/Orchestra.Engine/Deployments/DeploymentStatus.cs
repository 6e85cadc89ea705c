namespace Orchestra.Engine.Deployments;

/// <summary>Where a deployment is in its life. Every status comes with a reason (<see cref="DeploymentView.StatusReason"/>).</summary>
/// <remarks>
/// A status is <em>settled</em> when no work happens until an operator acts (see <see cref="DeploymentStatusExtensions.IsSettled"/>):
/// <see cref="Succeeded"/>, <see cref="Halted"/>, <see cref="Paused"/>, <see cref="Cancelled"/>, <see cref="RolledBack"/> and
/// <see cref="Undeployed"/>. Of those, <see cref="Succeeded"/>, <see cref="Cancelled"/>, <see cref="RolledBack"/> and
/// <see cref="Undeployed"/> are <em>final</em> for the deploy phase (only an undeploy may follow the first three).
/// </remarks>
public enum DeploymentStatus
{
    /// <summary>Submitted and journaled; no operation has started yet.</summary>
    Pending,

    /// <summary>Deploy operations are running or waiting for their dependencies.</summary>
    Running,

    /// <summary>A pause was requested: no new operation starts; the running ones finish.</summary>
    Pausing,

    /// <summary>Paused by an operator with nothing running; <c>resume</c> continues where it stopped.</summary>
    Paused,

    /// <summary>An operation failed its last attempt and the failure action is halt: no new operation starts; the running ones finish.</summary>
    Halting,

    /// <summary>
    /// Stopped on a failure (of a deploy, revert or teardown operation) with nothing running, everything left as it is.
    /// The operator may <c>retry</c> the failed operations, <c>undeploy</c> or <c>cancel</c>.
    /// </summary>
    Halted,

    /// <summary>An operation failed and the failure action is rollback: completed operations are being reverted in reverse completion order.</summary>
    RollingBack,

    /// <summary>Every completed operation was reverted (final).</summary>
    RolledBack,

    /// <summary>A cancel was requested: no new operation starts; running operations are cancelled and their processes killed.</summary>
    Cancelling,

    /// <summary>Cancelled with nothing running (final; an undeploy may follow).</summary>
    Cancelled,

    /// <summary>Every deploy operation succeeded (final; an undeploy may follow).</summary>
    Succeeded,

    /// <summary>Teardown operations are running in reverse dependency order.</summary>
    Undeploying,

    /// <summary>Every node that got past its first operation was torn down (final).</summary>
    Undeployed,
}

/// <summary>The three phases a deployment goes through; each has its own kind of task.</summary>
public enum DeploymentPhase
{
    /// <summary>Running the nodes' deploy operations in dependency order.</summary>
    Deploy,

    /// <summary>Running revert operations in reverse completion order after a failure.</summary>
    Rollback,

    /// <summary>Running the nodes' teardown operations in reverse dependency order.</summary>
    Undeploy,
}

/// <summary>The lifecycle of one node.</summary>
public enum NodeStatus
{
    /// <summary>Waiting for the nodes it depends on (the reason names them).</summary>
    Waiting,

    /// <summary>At least one of its deploy operations has started.</summary>
    Deploying,

    /// <summary>Every deploy operation succeeded.</summary>
    Deployed,

    /// <summary>One of its operations failed its last attempt.</summary>
    Failed,

    /// <summary>One of its operations was cancelled, or it never started because the deployment was cancelled.</summary>
    Cancelled,

    /// <summary>Its completed operations are being reverted.</summary>
    RollingBack,

    /// <summary>Every completed operation of the node was reverted.</summary>
    RolledBack,

    /// <summary>Its teardown operations are running or waiting for its dependents to be torn down.</summary>
    TearingDown,

    /// <summary>Torn down (or never created, so nothing to tear down).</summary>
    TornDown,
}

/// <summary>What kind of operation a task runs.</summary>
public enum TaskPhase
{
    /// <summary>A deploy operation (<see cref="Plans.PlanNode.Operations"/>).</summary>
    Deploy,

    /// <summary>The revert of a deploy operation (<see cref="Plans.PlanOperation.Revert"/>), during a rollback.</summary>
    Revert,

    /// <summary>A teardown operation (<see cref="Plans.PlanNode.Teardown"/>), during an undeploy.</summary>
    Teardown,
}

/// <summary>The state of one task (one operation of one node in one phase).</summary>
public enum OperationStatus
{
    /// <summary>Not started: waiting for the previous operation of its node, its dependencies or its phase.</summary>
    Pending,

    /// <summary>Could start, waiting for a free slot under <see cref="EngineOptions.MaxConcurrentTasks"/> (or for a pause/halt to end).</summary>
    Ready,

    /// <summary>An attempt is running (its <see cref="TaskStarted"/> is journaled).</summary>
    Running,

    /// <summary>An attempt failed; the next one starts at <see cref="TaskView.RetryAt"/>.</summary>
    RetryWaiting,

    /// <summary>Succeeded (never run again); its outputs are recorded.</summary>
    Succeeded,

    /// <summary>Failed its last attempt; <see cref="TaskView.Error"/> says why.</summary>
    Failed,

    /// <summary>Cancelled while running or waiting to retry.</summary>
    Cancelled,
}

/// <summary>Helpers over <see cref="DeploymentStatus"/>.</summary>
public static class DeploymentStatusExtensions
{
    /// <summary>Whether nothing happens in this status until an operator acts (what <see cref="Hosting.IDeploymentsHost.WaitAsync"/> waits for).</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> for Succeeded, Halted, Paused, Cancelled, RolledBack and Undeployed.</returns>
    public static bool IsSettled(this DeploymentStatus status) => status is DeploymentStatus.Succeeded or DeploymentStatus.Halted
        or DeploymentStatus.Paused or DeploymentStatus.Cancelled or DeploymentStatus.RolledBack or DeploymentStatus.Undeployed;

    /// <summary>Whether the deployment will never run a deploy operation again (undeploy may still follow, except after Undeployed).</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> for Succeeded, Cancelled, RolledBack and Undeployed.</returns>
    public static bool IsFinal(this DeploymentStatus status) => status is DeploymentStatus.Succeeded or DeploymentStatus.Cancelled
        or DeploymentStatus.RolledBack or DeploymentStatus.Undeployed;

    /// <summary>Whether the deployment counts as failed for a command's exit code (halted, rolled back or cancelled).</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> for Halted, RolledBack and Cancelled.</returns>
    public static bool IsFailure(this DeploymentStatus status) => status is DeploymentStatus.Halted or DeploymentStatus.RolledBack
        or DeploymentStatus.Cancelled;
}
