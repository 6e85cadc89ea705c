using Orchestra.Engine.Executors;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Deployments;

public sealed partial class DeploymentState
{
    /// <summary>Says what happens next: which tasks start (at most <paramref name="maxConcurrentTasks"/> running), or how the deployment settles.</summary>
    /// <param name="now">The current time (retries whose time has come start).</param>
    /// <param name="maxConcurrentTasks">The concurrency bound.</param>
    /// <returns>The events to journal, then apply, then act on; and when to decide again.</returns>
    /// <remarks>
    /// Pure: it reads the state and changes nothing. Tasks start in plan order (node order, then operation order), so the same
    /// journal always yields the same decisions. A task without implementation succeeds at once (a <see cref="TaskSucceeded"/>
    /// without a <see cref="TaskStarted"/>) and takes no slot.
    /// </remarks>
    public Decision Decide(DateTimeOffset now, int maxConcurrentTasks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentTasks, 1);
        switch (Status)
        {
            case DeploymentStatus.Pausing when _running.Count == 0:
                return new Decision([new DeploymentPaused(now)], null);
            case DeploymentStatus.Cancelling when _running.Count == 0:
                return new Decision([new DeploymentCancelled(now)], null);
            case DeploymentStatus.Halting when _running.Count == 0:
                return new Decision([_rollbackRequested ? new RollbackStarted(now, StatusReason.Replace(" (rollback starts when running tasks finish)", string.Empty, StringComparison.Ordinal)) : new DeploymentHalted(now, StatusReason)], null);
            case DeploymentStatus.Pending or DeploymentStatus.Running or DeploymentStatus.RollingBack or DeploymentStatus.Undeploying:
                return DecideActive(now, maxConcurrentTasks);
            default:
                return Decision.None;
        }
    }

    private Decision DecideActive(DateTimeOffset now, int maxConcurrentTasks)
    {
        var events = new List<DeploymentEvent>();
        var slots = maxConcurrentTasks - _running.Count;
        DateTimeOffset? wake = null;
        var busy = BusyGroups();
        foreach (var index in _ready)
        {
            var task = _tasks[index];
            if (task.Operation.Implementation is null)
            {
                events.Add(new TaskSucceeded(now, _nodes[task.Node].Node.Name, task.Name, task.Phase, task.Attempt + 1, NoOutputs));
            }
            else if (slots > 0 && Claim(ref busy, task))
            {
                slots--;
                events.Add(Start(task, now, task.Attempt + 1, recovered: false));
            }
        }

        foreach (var index in _retrying)
        {
            var task = _tasks[index];
            if (task.RetryAt <= now)
            {
                if (slots > 0 && Claim(ref busy, task))
                {
                    slots--;
                    events.Add(Start(task, now, task.Attempt + 1, recovered: false));
                }
            }
            else if (wake is null || task.RetryAt < wake)
            {
                wake = task.RetryAt;
            }
        }

        if (events.Count == 0 && _running.Count == 0 && _ready.Count == 0 && _retrying.Count == 0)
        {
            switch (Phase)
            {
                case DeploymentPhase.Deploy when _deploySucceeded == _deployTotal:
                    events.Add(new DeploymentSucceeded(now));
                    break;
                case DeploymentPhase.Rollback when _rollbackPosition >= _rollbackQueue.Count:
                    events.Add(new DeploymentRolledBack(now));
                    break;
                case DeploymentPhase.Undeploy when _teardownPending == 0:
                    events.Add(new DeploymentUndeployed(now));
                    break;
                default:
                    // Nothing can run and the phase is not complete: a dependency that never completes (should not happen with
                    // a validated plan). Halting tells the operator instead of hanging silently.
                    events.Add(new DeploymentHalted(now, $"stuck: no task can start in phase {Phase} ({_deploySucceeded}/{_deployTotal} operations succeeded)"));
                    break;
            }
        }

        return new Decision(events, wake);
    }

    // The exclusive groups (PlanNode.ExclusiveGroup) that have a task running: no other task of theirs may start.
    private HashSet<string>? BusyGroups()
    {
        HashSet<string>? busy = null;
        foreach (var index in _running)
        {
            if (_nodes[_tasks[index].Node].Node.ExclusiveGroup is { } group)
            {
                (busy ??= new HashSet<string>(StringComparer.Ordinal)).Add(group);
            }
        }

        return busy;
    }

    // Whether the task may start as far as its exclusive group goes; if so, the group is busy from now on.
    private bool Claim(ref HashSet<string>? busy, TaskSlot task) =>
        _nodes[task.Node].Node.ExclusiveGroup is not { } group || (busy ??= new HashSet<string>(StringComparer.Ordinal)).Add(group);

    private TaskStarted Start(TaskSlot task, DateTimeOffset now, int attempt, bool recovered)
    {
        var reference = RefOf(task.Index);
        return new TaskStarted(now, reference.Node, reference.Operation, reference.Phase, attempt, IdempotencyKey(reference), recovered);
    }

    /// <summary>
    /// What recovery does with the tasks that were running when the previous owner stopped: they run again with the same attempt
    /// number and idempotency key (<see cref="TaskStarted.Recovered"/>), unless the deployment was being cancelled, in which case
    /// they are recorded as cancelled.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <returns>The events to journal and apply before deciding anything else; empty if nothing was in flight.</returns>
    public IReadOnlyList<DeploymentEvent> Recover(DateTimeOffset now)
    {
        var events = new List<DeploymentEvent>(_running.Count);
        foreach (var index in _running.Order())
        {
            var task = _tasks[index];
            var reference = RefOf(index);
            events.Add(Status == DeploymentStatus.Cancelling
                ? new TaskCancelled(now, reference.Node, reference.Operation, reference.Phase, task.Attempt, "interrupted by a restart while cancelling")
                : Start(task, now, task.Attempt, recovered: true));
        }

        return events;
    }

    /// <summary>Turns the outcome of an attempt into the event to journal: success, a retry (with its time), a final failure or a cancellation.</summary>
    /// <param name="task">The task.</param>
    /// <param name="attempt">The attempt that ended.</param>
    /// <param name="result">Its outcome.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The event, or <see langword="null"/> if the result is stale (that attempt is not running any more).</returns>
    public DeploymentEvent? ResultEvent(TaskRef task, int attempt, OperationResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!_taskIndex.TryGetValue(task, out var index) || _tasks[index].Status != OperationStatus.Running || _tasks[index].Attempt != attempt)
        {
            return null;
        }

        var slot = _tasks[index];
        if (result.Outcome == OperationOutcome.Succeeded)
        {
            return new TaskSucceeded(now, task.Node, task.Operation, task.Phase, attempt, result.Outputs, result.Warnings);
        }

        var error = result.Error ?? result.Outcome.ToString();
        if (result.Outcome == OperationOutcome.Cancelled || Status == DeploymentStatus.Cancelling)
        {
            return new TaskCancelled(now, task.Node, task.Operation, task.Phase, attempt, Status == DeploymentStatus.Cancelling ? "cancelled with the deployment" : error);
        }

        var policy = slot.Operation.Retry ?? RetryPolicy.None;
        var made = attempt - slot.AttemptBase;
        return made < policy.MaxAttempts
            ? new TaskAttemptFailed(now, task.Node, task.Operation, task.Phase, attempt, error, result.ExitCode, now + policy.DelayBefore(made + 1))
            : new TaskFailed(now, task.Node, task.Operation, task.Phase, attempt, error, result.ExitCode);
    }

    /// <summary>Builds the executor's request for a started attempt: inputs evaluated now, over the outputs recorded so far.</summary>
    /// <param name="started">The applied <see cref="TaskStarted"/>.</param>
    /// <param name="defaultTimeout">The timeout when the operation sets none.</param>
    /// <returns>The request.</returns>
    public OperationRequest CreateRequest(TaskStarted started, TimeSpan defaultTimeout)
    {
        ArgumentNullException.ThrowIfNull(started);
        var task = new TaskRef(started.Node, started.Operation, started.Phase);
        var operation = Slot(task).Operation;
        var reverting = started.Phase == TaskPhase.Revert;
        var values = EvaluateInputs(task);
        return new OperationRequest(
            DeploymentId, started.Node, reverting ? operation.Name : started.Operation, started.Phase, operation.Implementation ?? "orchestra:noop",
            values.ToDictionary(v => v.Key, v => PlanValue.Render(v.Value), StringComparer.Ordinal), started.Attempt, started.IdempotencyKey,
            Plan.BaseDirectory, operation.Timeout ?? defaultTimeout, reverting ? started.Operation : null)
        {
            InputValues = values,
            Dependencies = operation.Dependencies,
            Host = operation.Host is { } host ? PlanValue.Render(host.Evaluate(this)) : null,
        };
    }

    /// <summary>Checks whether a command is allowed now.</summary>
    /// <param name="command">The command's event (only its type matters).</param>
    /// <returns><see langword="null"/> if allowed, else why not (for <see cref="Hosting.DeploymentCommandRejectedException"/>).</returns>
    public string? Reject(DeploymentEvent command) => command switch
    {
        DeploymentPauseRequested when Status is DeploymentStatus.Pending or DeploymentStatus.Running or DeploymentStatus.RollingBack or DeploymentStatus.Undeploying => null,
        DeploymentPauseRequested => $"deployment '{DeploymentId}' cannot be paused: it is {Status}",
        DeploymentResumed when Status is DeploymentStatus.Paused or DeploymentStatus.Pausing => null,
        DeploymentResumed => $"deployment '{DeploymentId}' cannot be resumed: it is {Status}, not paused",
        DeploymentCancelRequested when Status.IsFinal() => $"deployment '{DeploymentId}' cannot be cancelled: it is already {Status}",
        DeploymentCancelRequested when Status == DeploymentStatus.Cancelling => $"deployment '{DeploymentId}' is already being cancelled",
        DeploymentCancelRequested => null,
        FailedTasksRetried when Status == DeploymentStatus.Halted => null,
        FailedTasksRetried => $"deployment '{DeploymentId}' has nothing to retry: it is {Status}, not halted",
        UndeployRequested when Status == DeploymentStatus.Undeployed => $"deployment '{DeploymentId}' is already undeployed",
        UndeployRequested when Status.IsSettled() => null,
        UndeployRequested when Status == DeploymentStatus.Undeploying => $"deployment '{DeploymentId}' is already being undeployed",
        UndeployRequested when Status is DeploymentStatus.Pending or DeploymentStatus.Running or DeploymentStatus.RollingBack =>
            $"deployment '{DeploymentId}' cannot be undeployed while it is {Status}: cancel or pause it first",
        UndeployRequested => $"deployment '{DeploymentId}' cannot be undeployed while it is {Status}: wait until it settles",
        _ => $"'{command.GetType().Name}' is not a command",
    };
}
