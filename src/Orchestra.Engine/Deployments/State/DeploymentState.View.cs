using System.Text.Json;

namespace Orchestra.Engine.Deployments;

public sealed partial class DeploymentState
{
    /// <summary>Builds the read model: status with its reason, every node and task with theirs, and the plan's outputs.</summary>
    /// <param name="sequenceNr">The sequence number of the last event applied.</param>
    /// <returns>The view.</returns>
    public DeploymentView ToView(long sequenceNr)
    {
        var nodes = new NodeView[_nodes.Length];
        for (var n = 0; n < _nodes.Length; n++)
        {
            nodes[n] = NodeViewOf(_nodes[n]);
        }

        var outputs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var output in Plan.Outputs)
        {
            outputs[output.Name] = output.Value.Evaluate(this);
        }

        return new DeploymentView(DeploymentId, Plan.Name, Status, StatusReason, Phase, SubmittedAt, UpdatedAt, Options, nodes, outputs, sequenceNr)
        {
            Run = Run,
            DeployedNodes = DeployedNodes,
            ActiveTime = _activeTime,
            PhaseActiveTime = _phaseActiveTime,
        };
    }

    /// <summary>How many nodes are left deployed: their first deploy operation succeeded and was neither reverted nor torn down.</summary>
    public int DeployedNodes => _nodes.Count(n => IsCreated(n) && !n.TornDown);

    /// <summary>The status of a node, as the view shows it.</summary>
    /// <param name="node">The node's name.</param>
    /// <returns>Its status.</returns>
    /// <exception cref="KeyNotFoundException">The plan has no such node.</exception>
    public NodeStatus NodeStatusOf(string node) =>
        _nodeIndex.TryGetValue(node, out var n) ? NodeStatusOf(_nodes[n]) : throw new KeyNotFoundException($"The plan of '{DeploymentId}' has no node '{node}'.");

    private NodeStatus NodeStatusOf(NodeSlot node)
    {
        if (Phase == DeploymentPhase.Undeploy)
        {
            return node.TeardownTasks.Any(t => _tasks[t].Status == OperationStatus.Failed) ? NodeStatus.Failed
                : node.TornDown ? NodeStatus.TornDown : NodeStatus.TearingDown;
        }

        if (Phase == DeploymentPhase.Rollback)
        {
            var reverts = node.RevertTasks.Where(r => r >= 0 && _rollbackQueue.Contains(r)).ToList();
            if (reverts.Any(r => _tasks[r].Status == OperationStatus.Failed))
            {
                return NodeStatus.Failed;
            }

            if (reverts.Count > 0)
            {
                return reverts.All(r => _tasks[r].Status == OperationStatus.Succeeded) ? NodeStatus.RolledBack : NodeStatus.RollingBack;
            }
        }

        var started = false;
        var cancelled = false;
        foreach (var t in node.DeployTasks)
        {
            switch (_tasks[t].Status)
            {
                case OperationStatus.Failed: return NodeStatus.Failed;
                case OperationStatus.Cancelled: cancelled = true; break;
                case OperationStatus.Pending or OperationStatus.Ready: break;
                default: started = true; break;
            }
        }

        return cancelled ? NodeStatus.Cancelled
            : node.DeployCompleted && node.DepsPending == 0 ? NodeStatus.Deployed
            : started ? NodeStatus.Deploying
            : Status is DeploymentStatus.Cancelled or DeploymentStatus.Cancelling ? NodeStatus.Cancelled
            : NodeStatus.Waiting;
    }

    private NodeView NodeViewOf(NodeSlot node)
    {
        var status = NodeStatusOf(node);
        var tasks = new List<TaskView>(node.DeployTasks.Length);
        foreach (var t in node.DeployTasks)
        {
            tasks.Add(TaskViewOf(_tasks[t]));
        }

        foreach (var t in node.RevertTasks)
        {
            if (t >= 0 && (_tasks[t].Status != OperationStatus.Pending || _rollbackQueue.Contains(t)))
            {
                tasks.Add(TaskViewOf(_tasks[t]));
            }
        }

        foreach (var t in node.TeardownTasks)
        {
            if (Phase == DeploymentPhase.Undeploy || _tasks[t].Status != OperationStatus.Pending)
            {
                tasks.Add(TaskViewOf(_tasks[t]));
            }
        }

        var reason = status switch
        {
            NodeStatus.Waiting when node.DepsPending > 0 => "waiting for " + string.Join(", ", WaitingFor(node)),
            NodeStatus.Waiting => Status is DeploymentStatus.Halted or DeploymentStatus.Halting ? "not started: the deployment halted" : "ready",
            NodeStatus.Failed => tasks.First(t => t.Status == OperationStatus.Failed).Reason,
            NodeStatus.Cancelled => "cancelled",
            NodeStatus.Deployed => "all operations succeeded",
            NodeStatus.Deploying => tasks.FirstOrDefault(t => t.Status is not (OperationStatus.Succeeded or OperationStatus.Pending)) is { } current
                ? $"{current.Operation}: {current.Reason}" : "between operations",
            NodeStatus.TearingDown when node.DependentsPending > 0 => "waiting for its dependents to be torn down",
            NodeStatus.TearingDown => "tearing down",
            NodeStatus.TornDown => IsCreated(node) ? "torn down" : "nothing to tear down (never created)",
            NodeStatus.RollingBack => "reverting",
            NodeStatus.RolledBack => "reverted",
            _ => status.ToString(),
        };

        return new NodeView(node.Node.Name, node.Node.Type, status, reason, node.Node.DependsOn, tasks, new Dictionary<string, string>(node.Attributes, StringComparer.Ordinal));
    }

    private IEnumerable<string> WaitingFor(NodeSlot node) =>
        node.Node.DependsOn.Where(d => _nodeIndex.TryGetValue(d, out var i) && !(_nodes[i].DeployCompleted && _nodes[i].DepsPending == 0));

    private TaskView TaskViewOf(TaskSlot task)
    {
        var reference = RefOf(task.Index);
        return new TaskView(
            task.Name, task.Phase, task.Operation.Implementation, task.Status, TaskReason(task), task.Attempt, IdempotencyKey(reference),
            task.StartedAt, task.FinishedAt, task.RetryAt, task.Error, task.ExitCode, task.Outputs ?? NoOutputs, task.Warnings ?? [])
        {
            Runs = task.Phase == TaskPhase.Revert ? task.Operation.Name : null,
        };
    }

    private string TaskReason(TaskSlot task)
    {
        var node = _nodes[task.Node];
        switch (task.Status)
        {
            case OperationStatus.Pending when task.Phase == TaskPhase.Deploy:
                if (node.DepsPending > 0)
                {
                    return "waiting for node(s) " + string.Join(", ", WaitingFor(node));
                }

                if (task.Position > node.NextDeploy)
                {
                    return $"waiting for {node.Node.Operations[task.Position - 1].Name}";
                }

                if (task.AfterPending > 0)
                {
                    return "waiting for " + string.Join(", ", (task.Operation.After ?? []).Where(a => _taskIndex.TryGetValue(new TaskRef(a.Node, a.Operation, TaskPhase.Deploy), out var i) && _tasks[i].Status != OperationStatus.Succeeded));
                }

                return Status.ToString().ToLowerInvariant();
            case OperationStatus.Pending when task.Phase == TaskPhase.Revert:
                return "waiting for its turn: reverts run one at a time, in reverse completion order";
            case OperationStatus.Pending:
                return node.DependentsPending > 0 ? "waiting for the nodes that depend on it to be torn down" : $"waiting for {node.Node.Teardown[Math.Max(0, task.Position - 1)].Name}";
            case OperationStatus.Ready:
                return Status switch
                {
                    DeploymentStatus.Paused or DeploymentStatus.Pausing => "ready; the deployment is paused",
                    DeploymentStatus.Halted or DeploymentStatus.Halting => "ready; the deployment halted",
                    _ => GroupHolder(task) is { } holder
                        ? $"waiting for {_nodes[holder.Node].Node.Name}/{holder.Name}: nodes of exclusive group '{node.Node.ExclusiveGroup}' run one at a time"
                        : "waiting for a free slot",
                };
            case OperationStatus.Running:
                return $"attempt {task.Attempt} running";
            case OperationStatus.RetryWaiting:
                // When it retries is RetryAt: a reader says "retry in 1.2 s" against its own clock, a timestamp in words would only age.
                return $"attempt {task.Attempt} of {task.AttemptBase + (task.Operation.Retry ?? Plans.RetryPolicy.None).MaxAttempts} failed ({task.Error}); retrying";
            case OperationStatus.Succeeded:
                return task.Operation.Implementation is null ? "nothing to run" : $"succeeded on attempt {task.Attempt}";
            case OperationStatus.Failed:
                return $"failed on attempt {task.Attempt}: {task.Error}";
            case OperationStatus.Cancelled:
                return task.Error ?? "cancelled";
            default:
                return task.Status.ToString();
        }
    }

    // The running task of another node in the task's exclusive group, if any.
    private TaskSlot? GroupHolder(TaskSlot task)
    {
        var group = _nodes[task.Node].Node.ExclusiveGroup;
        foreach (var index in _running)
        {
            if (group is not null && _tasks[index].Node != task.Node && _nodes[_tasks[index].Node].Node.ExclusiveGroup == group)
            {
                return _tasks[index];
            }
        }

        return null;
    }
}
