namespace Orchestra.Engine.Deployments;

public sealed partial class DeploymentState
{
    /// <summary>Captures the state for a snapshot.</summary>
    /// <param name="submitted">The deployment's first event to include, or <see langword="null"/> to leave it to the journal.</param>
    /// <returns>The snapshot.</returns>
    public DeploymentSnapshot ToSnapshot(DeploymentSubmitted? submitted)
    {
        var tasks = new List<TaskSnapshot>();
        foreach (var t in _tasks)
        {
            if (t.Status == OperationStatus.Pending && t.Attempt == 0)
            {
                continue;
            }

            tasks.Add(new TaskSnapshot(
                RefOf(t.Index), t.Status == OperationStatus.Ready ? OperationStatus.Pending : t.Status, t.Attempt, t.AttemptBase,
                t.StartedAt, t.FinishedAt, t.RetryAt, t.Error, t.ExitCode, t.Outputs, t.Warnings, t.CompletionOrder));
        }

        return new DeploymentSnapshot(
            submitted, UpdatedAt, Status, StatusReason, Phase, _rollbackRequested, _completions,
            [.. _rollbackQueue.Select(RefOf)], _rollbackPosition, tasks, _activeTime, _phaseActiveTime);
    }

    /// <summary>Rebuilds a state from a snapshot: the same state as applying every event the snapshot covers.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="submitted">The deployment's first event, required when the snapshot does not include it.</param>
    /// <returns>The state.</returns>
    /// <exception cref="ArgumentException">Neither the snapshot nor <paramref name="submitted"/> has the first event.</exception>
    public static DeploymentState Restore(DeploymentSnapshot snapshot, DeploymentSubmitted? submitted = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = new DeploymentState(snapshot.Submitted ?? submitted ?? throw new ArgumentException("The snapshot does not include the submission: pass it.", nameof(submitted)))
        {
            UpdatedAt = snapshot.UpdatedAt,
            Status = snapshot.Status,
            StatusReason = snapshot.StatusReason,
            Phase = snapshot.Phase,
            _rollbackRequested = snapshot.RollbackRequested,
            _completions = snapshot.Completions,
            _rollbackPosition = snapshot.RollbackPosition,
            _activeTime = snapshot.ActiveTime ?? TimeSpan.Zero,
            _phaseActiveTime = snapshot.PhaseActiveTime ?? TimeSpan.Zero,
        };
        foreach (var s in snapshot.Tasks)
        {
            if (!state._taskIndex.TryGetValue(s.Task, out var index))
            {
                continue;
            }

            var t = state._tasks[index];
            t.Status = s.Status == OperationStatus.Ready ? OperationStatus.Pending : s.Status;
            t.Attempt = s.Attempt;
            t.AttemptBase = s.AttemptBase;
            t.StartedAt = s.StartedAt;
            t.FinishedAt = s.FinishedAt;
            t.RetryAt = s.RetryAt;
            t.Error = s.Error;
            t.ExitCode = s.ExitCode;
            t.Outputs = s.Outputs;
            t.Warnings = s.Warnings;
            t.CompletionOrder = s.CompletionOrder;
        }

        foreach (var r in snapshot.RollbackQueue)
        {
            if (state._taskIndex.TryGetValue(r, out var index))
            {
                state._rollbackQueue.Add(index);
            }
        }

        state.Recompute();
        return state;
    }

    private void Recompute()
    {
        foreach (var t in _tasks)
        {
            switch (t.Status)
            {
                case OperationStatus.Running: _running.Add(t.Index); break;
                case OperationStatus.RetryWaiting: _retrying.Add(t.Index); break;
                case OperationStatus.Succeeded when t.Phase == TaskPhase.Deploy:
                    _deploySucceeded++;
                    foreach (var s in t.AfterSuccessors ?? [])
                    {
                        _tasks[s].AfterPending--;
                    }

                    break;
                default: break;
            }
        }

        // Attributes: the latest output of each name wins, in the order operations succeeded.
        foreach (var t in _tasks.Where(t => t.Status == OperationStatus.Succeeded && t.Phase != TaskPhase.Revert)
            .OrderBy(t => t.Phase).ThenBy(t => t.CompletionOrder).ThenBy(t => t.FinishedAt).ThenBy(t => t.Index))
        {
            foreach (var (key, value) in t.Outputs ?? NoOutputs)
            {
                _nodes[t.Node].Attributes[key] = value;
            }
        }

        foreach (var node in _nodes)
        {
            while (node.NextDeploy < node.DeployTasks.Length && _tasks[node.DeployTasks[node.NextDeploy]].Status == OperationStatus.Succeeded)
            {
                node.NextDeploy++;
            }
        }

        // Gating: a node waits for its dependencies until they completed (completion cascades through nodes without operations).
        foreach (var node in _nodes)
        {
            node.DepsPending = 0;
        }

        foreach (var node in _nodes)
        {
            foreach (var s in node.DeploySuccessors)
            {
                _nodes[s].DepsPending++;
            }
        }

        var work = new Stack<NodeSlot>(_nodes.Where(n => n.DepsPending == 0 && n.DeployCompleted));
        while (work.TryPop(out var node))
        {
            foreach (var s in node.DeploySuccessors)
            {
                if (--_nodes[s].DepsPending == 0 && _nodes[s].DeployCompleted)
                {
                    work.Push(_nodes[s]);
                }
            }
        }

        switch (Phase)
        {
            case DeploymentPhase.Deploy:
                foreach (var node in _nodes)
                {
                    if (node.DepsPending == 0 && !node.DeployCompleted)
                    {
                        TryReadyDeploy(_tasks[node.DeployTasks[node.NextDeploy]]);
                    }
                }

                break;
            case DeploymentPhase.Rollback:
                ReadyNextRevert();
                break;
            case DeploymentPhase.Undeploy:
                InitTeardown();
                break;
            default:
                break;
        }
    }
}
