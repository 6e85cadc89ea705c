using System.Text.Json;
using Orchestra.Engine.Plans;

namespace Orchestra.Engine.Deployments;

/// <summary>
/// The state of one deployment as a deterministic state machine: <see cref="Apply"/> folds journaled events into it, and
/// <see cref="Decide"/> says what to do next (which tasks start, when the deployment settles). The <c>DeploymentActor</c>
/// journals what <see cref="Decide"/> returns, applies it, then acts; recovery applies the same events and reaches the same state.
/// </summary>
/// <remarks>
/// <para>For speed on big plans (10,000 nodes), <see cref="Apply"/> updates the state in place, in O(1) amortized per event plus
/// the tasks it releases; it is deterministic: the same events give the same state, whatever the clock or the thread.</para>
/// <para>Not thread-safe: one owner (the actor) at a time. Implements <see cref="IOutputLookup"/> over succeeded operations' outputs
/// and the nodes' initial attributes, for evaluating inputs.</para>
/// </remarks>
public sealed partial class DeploymentState : IOutputLookup
{
    private static readonly IReadOnlyDictionary<string, string> NoOutputs = new Dictionary<string, string>();

    private readonly TaskSlot[] _tasks;
    private readonly NodeSlot[] _nodes;
    private readonly Dictionary<string, int> _nodeIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<TaskRef, int> _taskIndex = [];
    private readonly SortedSet<int> _ready = [];
    private readonly SortedSet<int> _retrying = [];
    private readonly HashSet<int> _running = [];
    private readonly List<int> _rollbackQueue = [];
    private readonly int _deployTotal;
    private int _deploySucceeded;
    private int _rollbackPosition;
    private int _teardownPending;
    private long _completions;
    private TimeSpan _activeTime;
    private TimeSpan _phaseActiveTime;

    private DeploymentState(DeploymentSubmitted submitted)
    {
        DeploymentId = submitted.DeploymentId;
        Run = submitted.Run ?? 1;
        Plan = submitted.Plan;
        Options = submitted.Options ?? SubmitOptions.Default;
        SubmittedAt = submitted.At;
        UpdatedAt = submitted.At;
        Status = DeploymentStatus.Pending;
        StatusReason = "submitted";

        var tasks = new List<TaskSlot>();
        _nodes = new NodeSlot[Plan.Nodes.Count];
        for (var n = 0; n < Plan.Nodes.Count; n++)
        {
            var node = Plan.Nodes[n];
            var slot = _nodes[n] = new NodeSlot(n, node);
            _nodeIndex[node.Name] = n;
            slot.DeployTasks = new int[node.Operations.Count];
            slot.RevertTasks = new int[node.Operations.Count];
            for (var i = 0; i < node.Operations.Count; i++)
            {
                var op = node.Operations[i];
                slot.DeployTasks[i] = Add(new TaskSlot(tasks.Count, n, i, TaskPhase.Deploy, op, op.Name));
                slot.RevertTasks[i] = op.Revert is { } revert ? Add(new TaskSlot(tasks.Count, n, i, TaskPhase.Revert, revert, op.Name)) : -1;
            }

            slot.TeardownTasks = new int[node.Teardown.Count];
            for (var i = 0; i < node.Teardown.Count; i++)
            {
                var op = node.Teardown[i];
                slot.TeardownTasks[i] = Add(new TaskSlot(tasks.Count, n, i, TaskPhase.Teardown, op, op.Name));
            }
        }

        _tasks = [.. tasks];
        _deployTotal = Plan.OperationCount;

        foreach (var slot in _nodes)
        {
            var predecessors = new HashSet<int>();
            foreach (var dependency in slot.Node.DependsOn)
            {
                if (_nodeIndex.TryGetValue(dependency, out var d) && d != slot.Index && predecessors.Add(d))
                {
                    _nodes[d].DeploySuccessors.Add(slot.Index);
                    slot.DepsPending++;
                }
            }

            foreach (var t in slot.DeployTasks)
            {
                foreach (var after in _tasks[t].Operation.After ?? [])
                {
                    if (_taskIndex.TryGetValue(new TaskRef(after.Node, after.Operation, TaskPhase.Deploy), out var a) && _tasks[a].Node != slot.Index)
                    {
                        (_tasks[a].AfterSuccessors ??= []).Add(t);
                        _tasks[t].AfterPending++;
                        predecessors.Add(_tasks[a].Node);
                    }
                }
            }

            slot.Predecessors.AddRange(predecessors.Order());
        }

        int Add(TaskSlot task)
        {
            tasks.Add(task);
            _taskIndex[new TaskRef(Plan.Nodes[task.Node].Name, task.Name, task.Phase)] = task.Index;
            return task.Index;
        }
    }

    /// <summary>The deployment id.</summary>
    public string DeploymentId { get; }

    /// <summary>Which run of <see cref="DeploymentId"/> this is: 1 for the first, one more for each deploy after the previous run ended.</summary>
    public int Run { get; }

    /// <summary>The plan being run.</summary>
    public DeploymentPlan Plan { get; }

    /// <summary>The options it was submitted with.</summary>
    public SubmitOptions Options { get; }

    /// <summary>When it was submitted.</summary>
    public DateTimeOffset SubmittedAt { get; }

    /// <summary>When its last event happened.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The status.</summary>
    public DeploymentStatus Status { get; private set; }

    /// <summary>Why it is in <see cref="Status"/>, in words.</summary>
    public string StatusReason { get; private set; }

    /// <summary>The phase.</summary>
    public DeploymentPhase Phase { get; private set; }

    /// <summary>How many tasks are running (their <see cref="TaskStarted"/> applied, no outcome yet).</summary>
    public int RunningCount => _running.Count;

    /// <summary>How many deploy operations succeeded.</summary>
    public int SucceededCount => _deploySucceeded;

    /// <summary>Creates the state of a newly submitted deployment: nodes without dependencies are ready.</summary>
    /// <param name="submitted">The first event of the deployment.</param>
    /// <returns>The state.</returns>
    public static DeploymentState Create(DeploymentSubmitted submitted)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        var state = new DeploymentState(submitted);
        foreach (var node in state._nodes)
        {
            if (node.DepsPending == 0)
            {
                state.StartNode(node);
            }
        }

        return state;
    }

    /// <summary>The idempotency key of a task: the same for every attempt, every re-run after a crash and every operator retry.</summary>
    /// <param name="task">The task.</param>
    /// <returns>
    /// <c>&lt;deployment&gt;/&lt;node&gt;/&lt;operation&gt;/&lt;phase&gt;</c>, phase in lower case; from run 2 on the deployment part names the run
    /// (<c>web~2/...</c>), so a new run never looks like a re-run of the previous one.
    /// </returns>
    public string IdempotencyKey(TaskRef task) =>
        $"{(Run == 1 ? DeploymentId : DeploymentId + Hosting.DeploymentRuns.Separator + Run)}/{task.Node}/{task.Operation}/{task.Phase.ToString().ToLowerInvariant()}";

    /// <summary>The failure action that applies to a node's operations: the submit option, else the node's, else the plan's.</summary>
    /// <param name="node">The node's name.</param>
    /// <returns>The action.</returns>
    public FailureAction FailureActionOf(string node) =>
        Options.FailureAction ?? (_nodeIndex.TryGetValue(node, out var n) ? _nodes[n].Node.FailureAction : null) ?? Plan.FailureAction;

    /// <summary>The status of a task.</summary>
    /// <param name="task">The task.</param>
    /// <returns>Its status.</returns>
    /// <exception cref="KeyNotFoundException">The plan has no such task.</exception>
    public OperationStatus StatusOf(TaskRef task) => Slot(task).Status;

    /// <summary>The number of the last attempt started of a task (0 if none).</summary>
    /// <param name="task">The task.</param>
    /// <returns>The attempt.</returns>
    public int AttemptOf(TaskRef task) => Slot(task).Attempt;

    /// <summary>The outputs of a succeeded task (empty otherwise).</summary>
    /// <param name="task">The task.</param>
    /// <returns>The outputs.</returns>
    public IReadOnlyDictionary<string, string> OutputsOf(TaskRef task) => Slot(task).Outputs ?? NoOutputs;

    /// <summary>The tasks that are running, in plan order.</summary>
    /// <returns>The running tasks.</returns>
    public IReadOnlyList<TaskRef> RunningTasks() => [.. _running.Order().Select(RefOf)];

    /// <summary>Whether a task exists in the plan.</summary>
    /// <param name="task">The task.</param>
    /// <returns><see langword="true"/> if it exists.</returns>
    public bool HasTask(TaskRef task) => _taskIndex.ContainsKey(task);

    /// <inheritdoc/>
    public bool TryGetOutput(string node, string? operation, string name, out JsonElement value) => TryGetOutput(node, operation, name, out value, 0);

    private bool TryGetOutput(string node, string? operation, string name, out JsonElement value, int depth)
    {
        value = default;
        if (!_nodeIndex.TryGetValue(node, out var n))
        {
            return false;
        }

        var slot = _nodes[n];
        if (operation is not null)
        {
            foreach (var phase in (ReadOnlySpan<TaskPhase>)[TaskPhase.Deploy, TaskPhase.Teardown])
            {
                if (_taskIndex.TryGetValue(new TaskRef(node, operation, phase), out var t)
                    && _tasks[t].Status == OperationStatus.Succeeded && _tasks[t].Outputs!.TryGetValue(name, out var text))
                {
                    value = JsonSerializer.SerializeToElement(text);
                    return true;
                }
            }

            return false;
        }

        if (slot.Attributes.TryGetValue(name, out var attribute))
        {
            value = JsonSerializer.SerializeToElement(attribute);
            return true;
        }

        // Initial attributes may themselves refer to outputs; the depth bound stops a reference cycle.
        if (depth < 16 && slot.Node.Attributes is { } initial && initial.TryGetValue(name, out var planValue))
        {
            value = planValue.Evaluate(new NestedLookup(this, depth + 1));
            return true;
        }

        return false;
    }

    /// <summary>Evaluates and renders the inputs of a task against the outputs produced so far.</summary>
    /// <param name="task">The task.</param>
    /// <returns>Input name to text value.</returns>
    public IReadOnlyDictionary<string, string> RenderInputs(TaskRef task)
    {
        var inputs = Slot(task).Operation.Inputs;
        if (inputs.Count == 0)
        {
            return NoOutputs;
        }

        var rendered = new Dictionary<string, string>(inputs.Count, StringComparer.Ordinal);
        foreach (var (name, value) in inputs)
        {
            rendered[name] = PlanValue.Render(value.Evaluate(this));
        }

        return rendered;
    }

    /// <summary>Evaluates a task's inputs against the outputs recorded so far, keeping their JSON kinds (what <see cref="RenderInputs"/> renders to text).</summary>
    /// <param name="task">The task.</param>
    /// <returns>The inputs by name.</returns>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement> EvaluateInputs(TaskRef task)
    {
        var inputs = Slot(task).Operation.Inputs;
        var evaluated = new Dictionary<string, System.Text.Json.JsonElement>(inputs.Count, StringComparer.Ordinal);
        foreach (var (name, value) in inputs)
        {
            evaluated[name] = value.Evaluate(this);
        }

        return evaluated;
    }

    /// <summary>The plan operation a task runs (for a revert: the <see cref="PlanOperation.Revert"/> operation).</summary>
    /// <param name="task">The task.</param>
    /// <returns>The operation.</returns>
    public PlanOperation OperationOf(TaskRef task) => Slot(task).Operation;

    private TaskSlot Slot(TaskRef task) =>
        _taskIndex.TryGetValue(task, out var index) ? _tasks[index] : throw new KeyNotFoundException($"The plan of '{DeploymentId}' has no task {task}.");

    private TaskRef RefOf(int index)
    {
        var task = _tasks[index];
        return new TaskRef(_nodes[task.Node].Node.Name, task.Name, task.Phase);
    }

    private sealed class NestedLookup(DeploymentState state, int depth) : IOutputLookup
    {
        public bool TryGetOutput(string node, string? operation, string name, out JsonElement value) =>
            state.TryGetOutput(node, operation, name, out value, depth);
    }
}
