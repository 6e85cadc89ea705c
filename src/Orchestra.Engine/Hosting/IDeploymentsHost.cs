using Orchestra.Engine.Deployments;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Hosting;

/// <summary>
/// The engine's facade for the CLI and the server: submit, observe and command deployments. Implemented by
/// <c>DeploymentsHost</c>, which runs one persistent <c>DeploymentActor</c> per deployment.
/// </summary>
/// <remarks>
/// <para>Every method is thread-safe. Commands return once the command is journaled (durable), with the view right after it;
/// they do not wait for the deployment to progress: use <see cref="WaitAsync"/> or <see cref="Subscribe"/> for that.</para>
/// <para>A command that the deployment's status does not allow (pause a halted deployment, undeploy a running one...) throws
/// <see cref="DeploymentCommandRejectedException"/> with the reason; an unknown id throws <see cref="DeploymentNotFoundException"/>.</para>
/// </remarks>
public interface IDeploymentsHost : IAsyncDisposable
{
    /// <summary>
    /// Submits a plan under a client-chosen id and starts it. Idempotent: submitting the same plan again under the same id
    /// returns the existing deployment (a retried HTTP request or queue message does no harm). Once the id's latest run has ended
    /// (<see cref="DeploymentRuns.HasEnded"/>: undeployed, or cancelled or rolled back with nothing left deployed), a submission starts
    /// the next run, with this plan or another.
    /// </summary>
    /// <param name="deploymentId">The id: 1 to 128 characters among letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, not only dots.</param>
    /// <param name="plan">The plan; it is validated first (<see cref="EngineOptions.MaxPlanBytes"/> included).</param>
    /// <param name="options">Failure action override, inputs and labels; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels waiting (the submission may still have been journaled).</param>
    /// <returns>The deployment's view once <see cref="DeploymentSubmitted"/> is durable.</returns>
    /// <exception cref="ArgumentException">The id is malformed.</exception>
    /// <exception cref="PlanValidationException">The plan cannot run; every problem is listed.</exception>
    /// <exception cref="DeploymentCommandRejectedException">The id's latest run has not ended and runs a different plan; the message says what to do.</exception>
    Task<DeploymentView> SubmitAsync(string deploymentId, DeploymentPlan plan, SubmitOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Submits like <see cref="SubmitAsync"/>, and says whether this call created the deployment: the deployment's actor decides, one
    /// submission at a time, so of any number of identical concurrent submissions exactly one gets <see cref="SubmitResult.Created"/>.
    /// </summary>
    /// <param name="deploymentId">The id: 1 to 128 characters among letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, not only dots.</param>
    /// <param name="plan">The plan; it is validated first (<see cref="EngineOptions.MaxPlanBytes"/> included).</param>
    /// <param name="options">Failure action override, inputs and labels; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels waiting (the submission may still have been journaled).</param>
    /// <returns>The view once <see cref="DeploymentSubmitted"/> is durable, and whether this call wrote it.</returns>
    /// <exception cref="ArgumentException">The id is malformed.</exception>
    /// <exception cref="PlanValidationException">The plan cannot run, or is too large to journal; every problem is listed.</exception>
    /// <exception cref="DeploymentCommandRejectedException">The id's latest run has not ended and runs a different plan; the message says what to do.</exception>
    Task<SubmitResult> SubmitNewAsync(string deploymentId, DeploymentPlan plan, SubmitOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the current state of a deployment's latest run (from its live actor, else from the store).</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The view, or <see langword="null"/> if no such deployment exists.</returns>
    Task<DeploymentView?> GetAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Lists every deployment in the store, ordered by id: one summary per id, of its latest run.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One summary per deployment.</returns>
    Task<IReadOnlyList<DeploymentSummary>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the full journaled history of a deployment's latest run, oldest first.</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Every event, in words; empty if no such deployment exists.</returns>
    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads every attempt of a deployment with the end of what its process printed (journaled with the attempt's outcome), in the
    /// order they started. Lines of a running attempt come live as <see cref="NotificationKind.TaskOutput"/> notifications.
    /// </summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The attempts, or <see langword="null"/> if no such deployment exists.</returns>
    /// <exception cref="DeploymentUnavailableException">The journal cannot be read.</exception>
    Task<IReadOnlyList<AttemptLog>?> GetLogsAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a deployment: no new task starts; running tasks get their cancellation token and their processes are killed.</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="reason">Why, for the history; optional.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The view (status <see cref="DeploymentStatus.Cancelling"/> or <see cref="DeploymentStatus.Cancelled"/>).</returns>
    /// <exception cref="DeploymentNotFoundException">No such deployment.</exception>
    /// <exception cref="DeploymentCommandRejectedException">The deployment is already final.</exception>
    Task<DeploymentView> CancelAsync(string deploymentId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Pauses a running deployment: no new task starts; running tasks finish.</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="reason">Why, for the history; optional.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The view (status <see cref="DeploymentStatus.Pausing"/> or <see cref="DeploymentStatus.Paused"/>).</returns>
    /// <exception cref="DeploymentNotFoundException">No such deployment.</exception>
    /// <exception cref="DeploymentCommandRejectedException">It is not running (or rolling back, or undeploying).</exception>
    Task<DeploymentView> PauseAsync(string deploymentId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused or pausing deployment.</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The view.</returns>
    /// <exception cref="DeploymentNotFoundException">No such deployment.</exception>
    /// <exception cref="DeploymentCommandRejectedException">It is not paused.</exception>
    Task<DeploymentView> ResumeAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Retries the failed tasks of a halted deployment (deploy, revert or teardown, whichever phase halted); attempts keep counting.</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The view.</returns>
    /// <exception cref="DeploymentNotFoundException">No such deployment.</exception>
    /// <exception cref="DeploymentCommandRejectedException">It is not halted.</exception>
    Task<DeploymentView> RetryAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Undeploys a settled deployment (succeeded, halted, cancelled, rolled back or paused): runs the teardown operations of every
    /// node that got past its first deploy operation, in reverse dependency order.
    /// </summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>The view (status <see cref="DeploymentStatus.Undeploying"/> or <see cref="DeploymentStatus.Undeployed"/>).</returns>
    /// <exception cref="DeploymentNotFoundException">No such deployment.</exception>
    /// <exception cref="DeploymentCommandRejectedException">It is not settled (cancel it first) or already undeployed.</exception>
    Task<DeploymentView> UndeployAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Waits until the deployment is settled (<see cref="DeploymentStatusExtensions.IsSettled"/>): succeeded, halted, paused, cancelled, rolled back or undeployed.</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="cancellationToken">Stops waiting (the deployment goes on).</param>
    /// <returns>The settled view.</returns>
    /// <exception cref="DeploymentNotFoundException">No such deployment.</exception>
    Task<DeploymentView> WaitAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts every deployment in the store that is not settled (at most <see cref="EngineOptions.RecoveryParallelism"/> at a time).
    /// Each rebuilds its state from snapshot + journal and carries on: succeeded operations never run again, operations that were
    /// running run again with the same idempotency key. With leases enabled, deployments leased by a live owner are skipped.
    /// </summary>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The ids of the deployments started.</returns>
    Task<IReadOnlyList<string>> RecoverAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads one run of a deployment, the latest or an earlier one (which stays readable until the deployment is deleted).</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="run">The run, from 1 (<see cref="DeploymentView.Run"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run's view, or <see langword="null"/> if the deployment has no such run.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="run"/> is below 1.</exception>
    Task<DeploymentView?> GetRunAsync(string deploymentId, int run, CancellationToken cancellationToken = default);

    /// <summary>Reads the journaled history of one run of a deployment, oldest first.</summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="run">The run, from 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Every event of the run, in words; empty if there is no such run.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="run"/> is below 1.</exception>
    Task<IReadOnlyList<HistoryEntry>> GetRunHistoryAsync(string deploymentId, int run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets a deployment whose latest run has ended (<see cref="DeploymentRuns.HasEnded"/>: undeployed, or cancelled or rolled back with no
    /// node left deployed): the journal, snapshots and leases of every run are removed, and the id is free as if never used.
    /// </summary>
    /// <param name="deploymentId">The deployment id.</param>
    /// <param name="cancellationToken">Cancels waiting (the erase, once started, completes or rolls back as a whole).</param>
    /// <returns>How many runs were forgotten.</returns>
    /// <exception cref="DeploymentNotFoundException">No such deployment.</exception>
    /// <exception cref="DeploymentCommandRejectedException">Its latest run has not ended (the message says what to do first), or another owner holds one of its leases.</exception>
    Task<int> DeleteAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>Subscribes to the notifications of every deployment run by this host (the same ones published on the actor system's EventStream).</summary>
    /// <param name="handler">
    /// Called for each notification on the publishing deployment actor's thread (so possibly concurrently for different deployments), before
    /// the actor answers the request that caused it; must be fast, thread-safe and never block. A slow consumer queues (a <c>Channel</c>).
    /// </param>
    /// <returns>Disposing it unsubscribes.</returns>
    IDisposable Subscribe(Action<DeploymentNotification> handler);
}

/// <summary>Thrown when a deployment id names no deployment.</summary>
public sealed class DeploymentNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="deploymentId">The id.</param>
    public DeploymentNotFoundException(string deploymentId)
        : base($"There is no deployment '{deploymentId}'.") => DeploymentId = deploymentId;

    /// <summary>The id.</summary>
    public string DeploymentId { get; }
}

/// <summary>Thrown when a command is not allowed in the deployment's status; the message says why.</summary>
public sealed class DeploymentCommandRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="status">Its status when the command arrived.</param>
    /// <param name="message">Why the command was rejected.</param>
    public DeploymentCommandRejectedException(string deploymentId, DeploymentStatus status, string message)
        : base(message)
    {
        DeploymentId = deploymentId;
        Status = status;
    }

    /// <summary>The deployment.</summary>
    public string DeploymentId { get; }

    /// <summary>Its status when the command arrived.</summary>
    public DeploymentStatus Status { get; }
}

/// <summary>Thrown when a submitted plan cannot run.</summary>
public sealed class PlanValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">Every problem found.</param>
    public PlanValidationException(IReadOnlyList<PlanError> errors)
        : base("The plan cannot run: " + string.Join("; ", errors)) => Errors = errors;

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<PlanError> Errors { get; }
}

/// <summary>
/// Thrown when a deployment's actor stopped instead of answering: its journal could not be replayed (the message names the event's
/// sequence number and manifest), a journal write failed or was fenced out, or its lease moved to another owner.
/// </summary>
/// <remarks>Nothing is lost: the journal is left as it was. Once the cause is fixed, the next request recovers the deployment again.</remarks>
public sealed class DeploymentUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="deploymentId">The deployment.</param>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause, when known.</param>
    public DeploymentUnavailableException(string deploymentId, string message, Exception? innerException)
        : base(message, innerException) => DeploymentId = deploymentId;

    /// <summary>The deployment.</summary>
    public string DeploymentId { get; }
}
