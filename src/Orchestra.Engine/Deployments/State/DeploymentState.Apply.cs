namespace Orchestra.Engine.Deployments;

public sealed partial class DeploymentState
{
    /// <summary>Folds one journaled event into the state (live, after it is durable, and on recovery).</summary>
    /// <param name="event">The event; a <see cref="DeploymentSubmitted"/> is not applied (it creates the state, see <see cref="Create"/>).</param>
    /// <remarks>
    /// Events that do not fit the state (a result for a task that is not running, a resume of a deployment that is not paused) are
    /// ignored rather than thrown on, so that replaying an old journal after a code change can never wedge a deployment.
    /// </remarks>
    public void Apply(DeploymentEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        CountActiveTime(@event.At);
        UpdatedAt = @event.At;
        switch (@event)
        {
            case TaskStarted e: OnStarted(e); break;
            case TaskSucceeded e: OnSucceeded(e); break;
            case TaskAttemptFailed e: OnAttemptFailed(e); break;
            case TaskFailed e: OnFailed(e); break;
            case TaskCancelled e: OnCancelled(e); break;
            case DeploymentPauseRequested e:
                SetStatus(DeploymentStatus.Pausing, e.Reason is null ? "pause requested: running tasks finish, no new task starts" : $"pause requested: {e.Reason}");
                break;
            case DeploymentPaused:
                SetStatus(DeploymentStatus.Paused, "paused by an operator");
                break;
            case DeploymentResumed:
                SetStatus(ActiveStatus(), "resumed");
                break;
            case DeploymentCancelRequested e: OnCancelRequested(e); break;
            case DeploymentCancelled:
                SetStatus(DeploymentStatus.Cancelled, StatusReason.StartsWith("cancel", StringComparison.Ordinal) ? StatusReason.Replace("cancel requested", "cancelled", StringComparison.Ordinal) : "cancelled");
                break;
            case DeploymentHalted e:
                SetStatus(DeploymentStatus.Halted, e.Reason);
                break;
            case FailedTasksRetried: OnRetry(); break;
            case RollbackStarted e: OnRollbackStarted(e); break;
            case DeploymentRolledBack:
                SetStatus(DeploymentStatus.RolledBack, "rolled back: " + StatusReason);
                break;
            case DeploymentSucceeded:
                SetStatus(DeploymentStatus.Succeeded, $"all {_deployTotal} operations succeeded");
                break;
            case UndeployRequested: OnUndeployRequested(); break;
            case DeploymentUndeployed:
                SetStatus(DeploymentStatus.Undeployed, "every created node was torn down");
                break;
            default: break;
        }
    }

    // The time between two events counts as work unless the deployment sat settled (halted, paused, ended) in between, waiting for
    // an operator: a retry or a resume days later takes as long as its operations did, not as long as the wait.
    private void CountActiveTime(DateTimeOffset at)
    {
        if (!Status.IsSettled() && at > UpdatedAt)
        {
            var worked = at - UpdatedAt;
            _activeTime += worked;
            _phaseActiveTime += worked;
        }
    }

    private void SetStatus(DeploymentStatus status, string reason)
    {
        Status = status;
        StatusReason = reason;
    }

    private DeploymentStatus ActiveStatus() => Phase switch
    {
        DeploymentPhase.Rollback => DeploymentStatus.RollingBack,
        DeploymentPhase.Undeploy => DeploymentStatus.Undeploying,
        _ => DeploymentStatus.Running,
    };

    private bool TryFind(string node, string operation, TaskPhase phase, out TaskSlot task)
    {
        if (_taskIndex.TryGetValue(new TaskRef(node, operation, phase), out var index))
        {
            task = _tasks[index];
            return true;
        }

        task = null!;
        return false;
    }

    private void OnStarted(TaskStarted e)
    {
        if (!TryFind(e.Node, e.Operation, e.Phase, out var task))
        {
            return;
        }

        _ready.Remove(task.Index);
        _retrying.Remove(task.Index);
        _running.Add(task.Index);
        task.Status = OperationStatus.Running;
        task.Attempt = e.Attempt;
        task.StartedAt = e.At;
        task.RetryAt = null;
        if (Status == DeploymentStatus.Pending)
        {
            SetStatus(DeploymentStatus.Running, "running");
        }
    }

    private void OnSucceeded(TaskSucceeded e)
    {
        // A task without implementation succeeds straight from Ready, without a TaskStarted.
        if (!TryFind(e.Node, e.Operation, e.Phase, out var task) || task.Status is not (OperationStatus.Running or OperationStatus.Ready))
        {
            return;
        }

        _ready.Remove(task.Index);
        _running.Remove(task.Index);
        task.Status = OperationStatus.Succeeded;
        task.Attempt = Math.Max(task.Attempt, e.Attempt);
        task.FinishedAt = e.At;
        task.Outputs = e.Outputs ?? NoOutputs;
        task.Warnings = e.Warnings;
        task.Error = null;
        task.ExitCode = null;
        if (Status == DeploymentStatus.Pending)
        {
            SetStatus(DeploymentStatus.Running, "running");
        }

        var node = _nodes[task.Node];
        switch (task.Phase)
        {
            case TaskPhase.Deploy:
                task.CompletionOrder = ++_completions;
                _deploySucceeded++;
                foreach (var (key, value) in task.Outputs)
                {
                    node.Attributes[key] = value;
                }

                foreach (var successor in task.AfterSuccessors ?? [])
                {
                    _tasks[successor].AfterPending--;
                    TryReadyDeploy(_tasks[successor]);
                }

                if (task.Position == node.NextDeploy)
                {
                    AdvanceDeploy(node);
                }

                break;
            case TaskPhase.Revert:
                AdvanceRollback();
                break;
            case TaskPhase.Teardown:
                foreach (var (key, value) in task.Outputs)
                {
                    node.Attributes[key] = value;
                }

                node.NextTeardown++;
                AdvanceTeardown(node);
                break;
            default:
                break;
        }
    }

    private void OnAttemptFailed(TaskAttemptFailed e)
    {
        if (!TryFind(e.Node, e.Operation, e.Phase, out var task) || task.Status != OperationStatus.Running)
        {
            return;
        }

        _running.Remove(task.Index);
        task.Status = OperationStatus.RetryWaiting;
        task.Attempt = e.Attempt;
        task.Error = e.Error;
        task.ExitCode = e.ExitCode;
        task.FinishedAt = e.At;
        task.RetryAt = e.RetryAt;
        _retrying.Add(task.Index);
    }

    private void OnFailed(TaskFailed e)
    {
        if (!TryFind(e.Node, e.Operation, e.Phase, out var task) || task.Status is not (OperationStatus.Running or OperationStatus.Ready))
        {
            return;
        }

        _running.Remove(task.Index);
        _ready.Remove(task.Index);
        task.Status = OperationStatus.Failed;
        task.Attempt = Math.Max(task.Attempt, e.Attempt);
        task.Error = e.Error;
        task.ExitCode = e.ExitCode;
        task.FinishedAt = e.At;
        task.RetryAt = null;
        if (Status is DeploymentStatus.Cancelling)
        {
            return;
        }

        var what = $"{RefOf(task.Index)} failed after {task.Attempt - task.AttemptBase} attempt(s): {e.Error}";
        if (Status == DeploymentStatus.Halting)
        {
            StatusReason += "; " + what;
            return;
        }

        var rollback = task.Phase == TaskPhase.Deploy && FailureActionOf(e.Node) == Plans.FailureAction.Rollback;
        SetStatus(DeploymentStatus.Halting, rollback ? $"{what} (rollback starts when running tasks finish)" : what);
        _rollbackRequested |= rollback;
    }

    private bool _rollbackRequested;

    private void OnCancelled(TaskCancelled e)
    {
        if (!TryFind(e.Node, e.Operation, e.Phase, out var task) || task.Status is not (OperationStatus.Running or OperationStatus.RetryWaiting or OperationStatus.Ready))
        {
            return;
        }

        _running.Remove(task.Index);
        _retrying.Remove(task.Index);
        _ready.Remove(task.Index);
        task.Status = OperationStatus.Cancelled;
        task.Error = e.Reason;
        task.FinishedAt = e.At;
        task.RetryAt = null;
    }

    private void OnCancelRequested(DeploymentCancelRequested e)
    {
        SetStatus(DeploymentStatus.Cancelling, e.Reason is null ? "cancel requested" : $"cancel requested: {e.Reason}");
        _rollbackRequested = false;
        foreach (var index in _retrying)
        {
            var task = _tasks[index];
            task.Status = OperationStatus.Cancelled;
            task.Error = "cancelled while waiting to retry";
            task.FinishedAt = e.At;
            task.RetryAt = null;
        }

        _retrying.Clear();
        foreach (var index in _ready)
        {
            _tasks[index].Status = OperationStatus.Pending;
        }

        _ready.Clear();
    }

    private void OnRetry()
    {
        var phase = Phase switch
        {
            DeploymentPhase.Rollback => TaskPhase.Revert,
            DeploymentPhase.Undeploy => TaskPhase.Teardown,
            _ => TaskPhase.Deploy,
        };
        foreach (var task in _tasks)
        {
            if (task.Phase == phase && task.Status == OperationStatus.Failed)
            {
                task.AttemptBase = task.Attempt;
                task.Error = null;
                task.ExitCode = null;
                task.Status = OperationStatus.Ready;
                _ready.Add(task.Index);
            }
        }

        _rollbackRequested = false;
        SetStatus(ActiveStatus(), "retrying the failed operations");
    }

    private void OnRollbackStarted(RollbackStarted e)
    {
        Phase = DeploymentPhase.Rollback;
        _phaseActiveTime = TimeSpan.Zero;
        SetStatus(DeploymentStatus.RollingBack, e.Reason);
        _rollbackRequested = false;
        DropPhaseWork(e.At, "superseded by the rollback");

        // As TaskFlow does: the failed operations first (latest failure first), then what succeeded, in reverse completion order.
        var failed = _tasks.Where(t => t.Phase == TaskPhase.Deploy && t.Status == OperationStatus.Failed)
            .OrderByDescending(t => t.FinishedAt).ThenByDescending(t => t.Index);
        var succeeded = _tasks.Where(t => t.Phase == TaskPhase.Deploy && t.Status == OperationStatus.Succeeded)
            .OrderByDescending(t => t.CompletionOrder);
        _rollbackQueue.Clear();
        foreach (var task in failed.Concat(succeeded))
        {
            var revert = _nodes[task.Node].RevertTasks[task.Position];
            if (revert >= 0)
            {
                _rollbackQueue.Add(revert);
            }
        }

        _rollbackPosition = 0;
        ReadyNextRevert();
    }

    private void OnUndeployRequested()
    {
        Phase = DeploymentPhase.Undeploy;
        _phaseActiveTime = TimeSpan.Zero;
        SetStatus(DeploymentStatus.Undeploying, "undeploy requested");
        _rollbackRequested = false;
        DropPhaseWork(UpdatedAt, "superseded by the undeploy");
        foreach (var task in _tasks)
        {
            if (task.Phase == TaskPhase.Teardown && task.Status != OperationStatus.Succeeded)
            {
                task.Status = OperationStatus.Pending;
            }
        }

        InitTeardown();
    }

    // Teardown gating, from the teardown tasks' statuses: what succeeded stays done (an undeploy that halted picks up where it stopped).
    private void InitTeardown()
    {
        _teardownPending = 0;
        foreach (var node in _nodes)
        {
            node.DependentsPending = 0;
            node.InTeardown = false;
            node.TornDown = false;
            node.NextTeardown = 0;
            while (node.NextTeardown < node.TeardownTasks.Length && _tasks[node.TeardownTasks[node.NextTeardown]].Status == OperationStatus.Succeeded)
            {
                node.NextTeardown++;
            }
        }

        foreach (var node in _nodes)
        {
            foreach (var p in node.Predecessors)
            {
                _nodes[p].DependentsPending++;
            }

            if (IsCreated(node))
            {
                _teardownPending += node.TeardownTasks.Length - node.NextTeardown;
            }
        }

        foreach (var node in _nodes)
        {
            if (node.DependentsPending == 0)
            {
                StartTeardown(node);
            }
        }
    }

    // Deploy-phase work that cannot continue in the new phase stops: retry timers and ready tasks.
    private void DropPhaseWork(DateTimeOffset at, string reason)
    {
        foreach (var index in _retrying)
        {
            var task = _tasks[index];
            task.Status = OperationStatus.Cancelled;
            task.Error = $"{task.Error} ({reason})";
            task.FinishedAt = at;
            task.RetryAt = null;
        }

        _retrying.Clear();
        foreach (var index in _ready)
        {
            _tasks[index].Status = OperationStatus.Pending;
        }

        _ready.Clear();
    }

    // A node "got past create" when its first deploy operation succeeded and was not reverted.
    private bool IsCreated(NodeSlot node)
    {
        if (node.DeployTasks.Length == 0 || _tasks[node.DeployTasks[0]].Status != OperationStatus.Succeeded)
        {
            return false;
        }

        var revert = node.RevertTasks[0];
        return revert < 0 || _tasks[revert].Status != OperationStatus.Succeeded;
    }

    private void StartNode(NodeSlot node)
    {
        if (node.DeployCompleted)
        {
            CompleteNode(node);
        }
        else
        {
            TryReadyDeploy(_tasks[node.DeployTasks[node.NextDeploy]]);
        }
    }

    private void TryReadyDeploy(TaskSlot task)
    {
        var node = _nodes[task.Node];
        if (task.Status == OperationStatus.Pending && node.DepsPending == 0 && node.NextDeploy == task.Position && task.AfterPending == 0
            && Phase == DeploymentPhase.Deploy && Status is not (DeploymentStatus.Cancelling or DeploymentStatus.Cancelled))
        {
            task.Status = OperationStatus.Ready;
            _ready.Add(task.Index);
        }
    }

    private void AdvanceDeploy(NodeSlot node)
    {
        node.NextDeploy++;
        StartNode(node);
    }

    // Iterative, so that a long chain of nodes without operations cannot overflow the stack.
    private void CompleteNode(NodeSlot first)
    {
        var work = new Stack<NodeSlot>();
        work.Push(first);
        while (work.TryPop(out var node))
        {
            foreach (var s in node.DeploySuccessors)
            {
                var successor = _nodes[s];
                if (--successor.DepsPending == 0)
                {
                    if (successor.DeployCompleted)
                    {
                        work.Push(successor);
                    }
                    else
                    {
                        TryReadyDeploy(_tasks[successor.DeployTasks[successor.NextDeploy]]);
                    }
                }
            }
        }
    }

    private void ReadyNextRevert()
    {
        if (_rollbackPosition < _rollbackQueue.Count)
        {
            var task = _tasks[_rollbackQueue[_rollbackPosition]];
            if (task.Status == OperationStatus.Pending)
            {
                task.Status = OperationStatus.Ready;
                _ready.Add(task.Index);
            }
        }
    }

    private void AdvanceRollback()
    {
        _rollbackPosition++;
        ReadyNextRevert();
    }

    private void StartTeardown(NodeSlot first)
    {
        var work = new Stack<NodeSlot>();
        work.Push(first);
        while (work.TryPop(out var node))
        {
            node.InTeardown = true;
            if (IsCreated(node) && node.NextTeardown < node.TeardownTasks.Length)
            {
                var task = _tasks[node.TeardownTasks[node.NextTeardown]];
                if (task.Status == OperationStatus.Pending)
                {
                    task.Status = OperationStatus.Ready;
                    _ready.Add(task.Index);
                }

                continue;
            }

            node.TornDown = true;
            foreach (var p in node.Predecessors)
            {
                if (--_nodes[p].DependentsPending == 0)
                {
                    work.Push(_nodes[p]);
                }
            }
        }
    }

    private void AdvanceTeardown(NodeSlot node)
    {
        _teardownPending--;
        StartTeardown(node);
    }
}
